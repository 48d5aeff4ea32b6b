// Identifies the caller of a request: an API token (Bearer, or HTTP Basic with the token as password
// for package clients), or anonymous. Session cookies are resolved by the dashboard layer.
import { type Actor, authenticateToken, Unauthorized } from '@pallet/core';
import { getCore } from './core';

export function clientIp(request: Request): string | undefined {
  const fwd = request.headers.get('x-forwarded-for');
  if (fwd) return fwd.split(',')[0]?.trim();
  return request.headers.get('x-real-ip') ?? undefined;
}

function presentedToken(request: Request): string | null {
  const header = request.headers.get('authorization');
  if (!header) return null;
  const [scheme, value] = header.split(/\s+/, 2);
  if (!value) throw new Unauthorized('Malformed Authorization header.');
  if (scheme?.toLowerCase() === 'bearer') return value.trim();
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : decoded;
  }
  throw new Unauthorized('Unsupported Authorization scheme; use Bearer or Basic.');
}

export async function authenticate(request: Request): Promise<Actor> {
  const ip = clientIp(request);
  const token = presentedToken(request);
  if (token !== null) return authenticateToken(getCore(), token, ip);
  return { kind: 'anonymous', ip };
}

/** For API endpoints: credentials are required. */
export async function requireActor(request: Request): Promise<Actor> {
  const actor = await authenticate(request);
  if (actor.kind === 'anonymous')
    throw new Unauthorized('Missing credentials: send Authorization: Bearer <token>.');
  return actor;
}

// Identifies the caller of a request: an API token (Bearer, or HTTP Basic with the token as password
// for package clients), the dashboard's session cookie (API calls only, with a CSRF check), or anonymous.
import { type Actor, authenticateToken, Forbidden, Unauthorized } from '@pallet/core';
import { decode } from 'next-auth/jwt';
import { clientIp } from './client-ip';
import { getCore } from './core';
import { sessionCookieName } from './session-cookie';

export { clientIp, ipFromHeaders } from './client-ip';

/** Resolves a session's user id against the database (deleted users are signed out at once). */
export async function sessionUserById(
  userId: string | undefined,
): Promise<{ userId: string; email: string } | null> {
  if (!userId) return null;
  const user = await getCore().db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true },
  });
  return user ? { userId: user.id, email: user.email } : null;
}

function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get('cookie');
  if (!header) return undefined;
  const cookies = new Map<string, string>();
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies.set(part.slice(0, eq).trim(), decodeURIComponent(part.slice(eq + 1).trim()));
  }
  // next-auth splits cookies over 4 KB into name.0, name.1, ...
  if (cookies.has(name)) return cookies.get(name);
  let joined = '';
  for (let i = 0; cookies.has(`${name}.${i}`); i++) joined += cookies.get(`${name}.${i}`);
  return joined || undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cookie-authenticated calls that change state must come from the dashboard's own pages: the browser's
 * Origin header (or Sec-Fetch-Site) must match APP_URL. Token requests are exempt (no ambient credential).
 */
function assertSameOrigin(request: Request): void {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return;
  const expected = new URL(getCore().config.appUrl).origin;
  const origin = request.headers.get('origin');
  if (origin ? origin === expected : request.headers.get('sec-fetch-site') === 'same-origin') return;
  throw new Forbidden(
    'Cross-site request refused: cookie-authenticated changes must come from the dashboard.',
    'csrf_failed',
  );
}

async function sessionActor(request: Request, ip: string | undefined): Promise<Actor | null> {
  const cookie = readCookie(request, sessionCookieName());
  if (!cookie) return null;
  const jwt = await decode({ token: cookie, secret: getCore().config.authSecret }).catch(() => null);
  const user = await sessionUserById(jwt?.sub);
  if (!user) return null;
  assertSameOrigin(request);
  return { kind: 'user', userId: user.userId, email: user.email, ip };
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
  // Session cookies count for the API only; package downloads (/dl) take tokens.
  if (new URL(request.url).pathname.startsWith('/api/')) {
    const actor = await sessionActor(request, ip);
    if (actor) return actor;
  }
  return { kind: 'anonymous', ip };
}

/** For API endpoints: credentials are required. */
export async function requireActor(request: Request): Promise<Actor> {
  const actor = await authenticate(request);
  if (actor.kind === 'anonymous')
    throw new Unauthorized('Missing credentials: send Authorization: Bearer <token> or sign in.');
  return actor;
}

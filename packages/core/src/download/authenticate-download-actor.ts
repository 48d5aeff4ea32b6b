// Who is asking for a repository file: anonymous, or the token presented as HTTP Basic password (or
// Bearer). Tokens are checked by core's authenticateToken (its rules, limits and audit fields) and the
// resulting actor is remembered by the token's SHA-256 until a notification says the token, a
// membership or a user changed; so a warm check costs one hash and a map lookup, and a revocation or
// demotion applies from the next request.
import type { Actor } from '../auth/actor';
import { authenticateClientCertificate } from '../client-certificate/authenticate-client-certificate';
import { fingerprintOfPem } from '../client-certificate/pem-fingerprint';
import type { CoreContext } from '../context/core-context';
import { Unauthorized } from '../errors/domain-errors';
import { authenticateToken } from '../token/authenticate-token';
import { hashTokenSecret } from '../token/token-secret';
import type { DownloadCache } from './download-cache';
import { AuthRequired } from './resolve-download';

/** The secret in an Authorization header: Bearer <token>, or Basic with the token as password. */
export function readPresentedToken(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!value) throw new AuthRequired();
  if (scheme?.toLowerCase() === 'bearer') return value;
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : decoded;
  }
  throw new AuthRequired();
}

/** Authorization header → SHA-256 of its token (a pure function of the header, so never stale). */
const headerHashes = new Map<string, string>();
const MAX_HEADERS = 10_000;

export async function authenticateDownloadActor(
  ctx: CoreContext,
  cache: DownloadCache,
  authorization: string | undefined,
  ip: string | undefined,
): Promise<Actor> {
  if (!authorization) return { kind: 'anonymous', ip };
  // Package clients send the same header on every request: decode and hash it once.
  let hash = headerHashes.get(authorization);
  let secret: string | null = null;
  if (hash === undefined) {
    secret = readPresentedToken(authorization);
    if (secret === null) return { kind: 'anonymous', ip };
    hash = hashTokenSecret(secret);
    if (headerHashes.size >= MAX_HEADERS) headerHashes.clear();
    headerHashes.set(authorization, hash);
  }
  // Downloads write no audit events: the cached actor's address is never read on this path.
  const cached = cache.token(hash);
  if (cached) return cached;
  secret ??= readPresentedToken(authorization) ?? '';
  const started = cache.tokenCheckStarted();
  try {
    const actor = await authenticateToken(ctx, secret, ip);
    const row = await ctx.db.apiToken.findUnique({ where: { tokenHash: hash }, select: { expiresAt: true } });
    cache.rememberToken(hash, actor, row?.expiresAt ?? null, started);
    return actor;
  } catch (err) {
    // Package clients answer a Basic challenge; a bad token is reported the same way.
    throw err instanceof Unauthorized ? new AuthRequired() : err;
  }
}

/**
 * The actor the cache still holds for an Authorization header already seen, without any I/O; null when
 * the header is unknown, its token is no longer cached (revoked, expired, invalidated) or no header.
 */
export function cachedDownloadActor(cache: DownloadCache, authorization: string | undefined): Actor | null {
  if (!authorization) return null;
  const hash = headerHashes.get(authorization);
  return hash === undefined ? null : cache.token(hash);
}

/** Certificate PEM → SHA-256 fingerprint (a pure function of the PEM, so never stale). */
const pemFingerprints = new Map<string, string | null>();

/**
 * Who presents a client certificate the edge verified (PEM as the edge passed it on): its registered
 * grant, remembered like a token's until a notification says the certificate changed. An unknown or
 * revoked certificate is refused as a bad token is.
 */
export async function authenticateDownloadCertificate(
  ctx: CoreContext,
  cache: DownloadCache,
  pem: string,
  ip: string | undefined,
): Promise<Actor> {
  let fingerprint = pemFingerprints.get(pem);
  if (fingerprint === undefined) {
    fingerprint = fingerprintOfPem(pem);
    if (pemFingerprints.size >= MAX_HEADERS) pemFingerprints.clear();
    pemFingerprints.set(pem, fingerprint);
  }
  if (!fingerprint) throw new AuthRequired();
  const key = `cert:${fingerprint}`;
  const cached = cache.token(key);
  if (cached) return cached;
  const started = cache.tokenCheckStarted();
  const actor = await authenticateClientCertificate(ctx, fingerprint, ip);
  if (!actor) throw new AuthRequired();
  const row = await ctx.db.clientCertificate.findUnique({
    where: { fingerprint },
    select: { notAfter: true },
  });
  cache.rememberToken(key, actor, row?.notAfter ?? null, started);
  return actor;
}

// Verifies a CI provider's ID token against its issuer's published keys: OIDC discovery
// (`{issuer}/.well-known/openid-configuration` → `jwks_uri`), then jose's remote JWK set, which caches
// the keys and refetches them (at most every 30 s) when a token names an unknown key id. Discovery
// answers are cached for an hour per issuer. Only issuers an OIDC trust names are ever fetched.
import { createRemoteJWKSet, type JWTPayload, jwtVerify, type RemoteJWKSet } from 'jose';
import type { CoreContext } from '../context/core-context';

const DISCOVERY_TTL_MS = 60 * 60_000;
const FETCH_TIMEOUT_MS = 5000;
/** Accepted signature algorithms: what GitHub Actions and GitLab CI sign with. */
const ALGORITHMS = ['RS256', 'ES256'];
/** Clock skew accepted on exp/nbf/iat between the CI provider and this server. */
const CLOCK_TOLERANCE_S = 30;

const issuers = new Map<string, { keys: RemoteJWKSet; fetchedAt: number }>();

export class IdTokenRejected extends Error {}

function allowedUrl(ctx: CoreContext, url: string): boolean {
  const u = new URL(url);
  return u.protocol === 'https:' || (ctx.config.oidcAllowHttpIssuers && u.protocol === 'http:');
}

async function issuerKeys(ctx: CoreContext, issuer: string): Promise<RemoteJWKSet> {
  const cached = issuers.get(issuer);
  if (cached && Date.now() - cached.fetchedAt < DISCOVERY_TTL_MS) return cached.keys;
  if (!allowedUrl(ctx, issuer)) throw new IdTokenRejected('issuer is not https');
  const res = await fetch(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    redirect: 'error',
    headers: { accept: 'application/json' },
  }).catch((err: Error) => {
    throw new IdTokenRejected(`discovery failed: ${err.message}`);
  });
  if (!res.ok) throw new IdTokenRejected(`discovery answered ${res.status}`);
  const doc = (await res.json().catch(() => null)) as { issuer?: unknown; jwks_uri?: unknown } | null;
  if (doc?.issuer !== issuer) throw new IdTokenRejected('discovery names another issuer');
  if (typeof doc.jwks_uri !== 'string' || !allowedUrl(ctx, doc.jwks_uri))
    throw new IdTokenRejected('discovery has no usable jwks_uri');
  const keys = createRemoteJWKSet(new URL(doc.jwks_uri), { timeoutDuration: FETCH_TIMEOUT_MS });
  issuers.set(issuer, { keys, fetchedAt: Date.now() });
  return keys;
}

/** The token's claims once its signature, issuer and times check out (audience and subject are the caller's). */
export async function verifyIdToken(ctx: CoreContext, issuer: string, token: string): Promise<JWTPayload> {
  const keys = await issuerKeys(ctx, issuer);
  try {
    const { payload } = await jwtVerify(token, keys, {
      issuer,
      algorithms: ALGORITHMS,
      requiredClaims: ['exp', 'iat', 'nbf', 'sub', 'aud'],
      clockTolerance: CLOCK_TOLERANCE_S,
    });
    return payload;
  } catch (err) {
    throw new IdTokenRejected((err as { code?: string }).code ?? (err as Error).message);
  }
}

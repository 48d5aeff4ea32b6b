// Where the CLI's credentials come from: PALLET_TOKEN when set; otherwise a CI provider's OIDC ID
// token exchanged at POST /api/v1/oidc/token for a short-lived Pallet token (no stored secret at all).
// GitHub Actions hands out ID tokens on request (ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN, with
// `permissions: id-token: write`); GitLab CI puts one in a variable named by `id_tokens:` — Pallet reads
// PALLET_ID_TOKEN, which works for any provider that can place a token in the environment.
import type { PalletClient } from '@pallet/api-client';

export type Env = Record<string, string | undefined>;

/** The audience the CLI asks GitHub for; an OIDC trust must name the same one. */
export function oidcAudience(env: Env, server: string): string {
  return env.PALLET_OIDC_AUDIENCE || new URL(server).origin;
}

/** The CI provider's ID token, or undefined when this is not a CI job with OIDC enabled. */
export async function findCiIdToken(env: Env, server: string): Promise<string | undefined> {
  if (env.PALLET_ID_TOKEN) return env.PALLET_ID_TOKEN;
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!url || !bearer) return undefined;
  const request = new URL(url);
  request.searchParams.set('audience', oidcAudience(env, server));
  const res = await fetch(request, {
    headers: { authorization: `bearer ${bearer}`, accept: 'application/json' },
  });
  if (!res.ok) throw new Error(`GitHub Actions did not hand out an ID token (HTTP ${res.status})`);
  const body = (await res.json()) as { value?: string };
  if (!body.value) throw new Error('GitHub Actions answered without an ID token');
  return body.value;
}

/** PALLET_TOKEN, or a token minted from the CI job's identity for `org`, or undefined. */
export async function resolveToken(
  client: PalletClient,
  env: Env,
  org: string | undefined,
): Promise<{ token: string; source: 'env' | 'oidc' } | undefined> {
  if (env.PALLET_TOKEN) return { token: env.PALLET_TOKEN, source: 'env' };
  if (!org) return undefined;
  const idToken = await findCiIdToken(env, client.baseUrl);
  if (!idToken) return undefined;
  const { data } = await client.request<{ token: string; expiresAt: string }>('POST', '/oidc/token', {
    org,
    token: idToken,
  });
  return { token: data.token, source: 'oidc' };
}

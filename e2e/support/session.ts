// Signs in through next-auth's credentials endpoint over HTTP (as the sign-in page does) and returns the
// session cookie, so tests can call the API the way the dashboard does.
export interface SignInResult {
  status: number;
  /** `name=value` of the session cookie, when signed in */
  cookie: string | null;
  retryAfter: string | null;
  body: unknown;
}

function cookiePairs(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]!);
}

export async function signInWithPassword(
  baseUrl: string,
  email: string,
  password: string,
  headers: Record<string, string> = {},
  fetchImpl: (url: string, init?: RequestInit) => Promise<Response> = fetch,
): Promise<SignInResult> {
  const csrfRes = await fetchImpl(`${baseUrl}/api/auth/csrf`, { headers });
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetchImpl(`${baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      ...headers,
      'content-type': 'application/x-www-form-urlencoded',
      cookie: cookiePairs(csrfRes).join('; '),
      origin: baseUrl,
    },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }),
  });
  const cookie = cookiePairs(res).find((c) => /^(__Secure-)?next-auth\.session-token=/.test(c)) ?? null;
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, cookie, retryAfter: res.headers.get('retry-after'), body };
}

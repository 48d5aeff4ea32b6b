// next-auth's endpoints (/api/auth/*: sign-in, callbacks, session, csrf, sign-out). Credential sign-ins
// are checked against the sign-in throttle first, so that an account+source or a source that must wait
// gets 429 with Retry-After before any password is checked.
import { assertSignInAllowed, RateLimited } from '@pallet/core';
import type { NextRequest } from 'next/server';
import NextAuth from 'next-auth';
import { clientIp } from '@/lib/auth';
import { screenAuthRequest } from '@/lib/auth-endpoint';
import { getAuthOptions } from '@/lib/auth-options';
import { getCore } from '@/lib/core';
import { errorBody, json } from '@/lib/http';

type Context = { params: Promise<{ nextauth: string[] }> };

export const dynamic = 'force-dynamic';

let handler: ((request: Request, context: Context) => Promise<Response>) | undefined;

function nextAuth() {
  handler ??= NextAuth(getAuthOptions()) as unknown as (
    request: Request,
    context: Context,
  ) => Promise<Response>;
  return handler;
}

async function limitCredentialSignIn(request: Request): Promise<Response | null> {
  if (!new URL(request.url).pathname.endsWith('/callback/credentials')) return null;
  let email: string | undefined;
  try {
    const form = await request.clone().formData();
    const value = form.get('email');
    email = typeof value === 'string' ? value : undefined;
  } catch {
    return null;
  }
  if (!email) return null;
  try {
    await assertSignInAllowed(getCore(), email, clientIp(request));
    return null;
  } catch (err) {
    if (!(err instanceof RateLimited)) throw err;
    // next-auth's client reads `url` and takes the error from its query string.
    return json(
      { ...errorBody(err.code, err.message), url: `${getCore().config.appUrl}/sign-in?error=rate_limited` },
      429,
      { 'retry-after': String(err.retryAfterSeconds) },
    );
  }
}

export async function GET(request: NextRequest, context: Context): Promise<Response> {
  const screened = await screenAuthRequest(request);
  if (screened instanceof Response) return screened;
  return nextAuth()(screened, context);
}

export async function POST(request: NextRequest, context: Context): Promise<Response> {
  const screened = await screenAuthRequest(request);
  if (screened instanceof Response) return screened;
  return (await limitCredentialSignIn(screened)) ?? nextAuth()(screened, context);
}

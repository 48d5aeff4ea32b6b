'use server';
// Sign-up as a server action: the same core service as POST /api/v1/signup.
import { DomainError, signUp } from '@pallet/core';
import { headers } from 'next/headers';
import { ipFromHeaders } from '@/lib/auth';
import { getCore } from '@/lib/core';
import { assertSafeValue } from '@/lib/edge-input';

export type SignUpState =
  | { ok: true; org: string }
  | { ok: false; error: string; email: string; org: string }
  | null;

export async function signUpAction(_prev: SignUpState, form: FormData): Promise<SignUpState> {
  const ip = ipFromHeaders(await headers());
  const input = {
    email: String(form.get('email') ?? ''),
    password: String(form.get('password') ?? ''),
    org: String(form.get('org') ?? '').trim(),
  };
  try {
    assertSafeValue(input, 'The form');
    const result = await signUp(getCore(), input, ip);
    return { ok: true, org: result.org.slug };
  } catch (err) {
    const keep = { email: input.email, org: input.org };
    if (err instanceof DomainError) return { ok: false, error: friendly(err), ...keep };
    const e = err as Error;
    getCore().log.error({ err: { name: e?.name, message: e?.message } }, 'sign-up failed');
    return {
      ok: false,
      error: 'Something went wrong on our side; no account was created. Try again.',
      ...keep,
    };
  }
}

function friendly(err: DomainError): string {
  if (err.message.startsWith('password:')) return 'The password needs at least 10 characters.';
  if (err.message.startsWith('email:')) return 'Enter a valid email address.';
  if (err.message.startsWith('org:'))
    return 'The org name may use lowercase letters, digits and dashes, and must start with a letter or digit.';
  return err.message;
}

'use client';
import { useRouter } from 'next/navigation';
// Sign-up form: the server action creates the account, then next-auth signs the new user in.
import { signIn } from 'next-auth/react';
import { useActionState, useEffect, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Field, Input } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { safeCallbackPath } from '@/lib/safe-redirect';
import { type SignUpState, signUpAction } from './actions';

export function SignUpForm({ next }: { next?: string }) {
  const router = useRouter();
  const [state, formAction] = useActionState<SignUpState, FormData>(signUpAction, null);
  const [credentials, setCredentials] = useState<{ email: string; password: string } | null>(null);
  const [signInError, setSignInError] = useState<string | null>(null);

  useEffect(() => {
    if (!state?.ok || !credentials) return;
    let cancelled = false;
    signIn('credentials', { ...credentials, redirect: false }).then((r) => {
      if (cancelled) return;
      if (r?.ok && !r.error) {
        const home = `/orgs/${state.org}/repos`;
        router.replace(next ? safeCallbackPath(next, window.location.origin, home) : home);
        router.refresh();
      } else {
        setSignInError('Your account was created, but signing in failed. Sign in with your new password.');
      }
    });
    return () => {
      cancelled = true;
    };
  }, [state, credentials, router, next]);

  return (
    <form
      action={formAction}
      onSubmit={(e) => {
        const f = new FormData(e.currentTarget);
        setCredentials({ email: String(f.get('email') ?? ''), password: String(f.get('password') ?? '') });
      }}
      className="space-y-4"
    >
      {state && !state.ok ? <Alert tone="error">{state.error}</Alert> : null}
      {signInError ? <Alert tone="error">{signInError}</Alert> : null}
      {state?.ok && !signInError ? <Alert tone="success">Account created. Signing you in…</Alert> : null}
      <Field id="email" label="Email">
        <Input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={state && !state.ok ? state.email : undefined}
        />
      </Field>
      <Field id="password" label="Password" hint="At least 10 characters.">
        <Input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={10}
          required
          aria-describedby="password-hint"
        />
      </Field>
      <Field id="org" label="Org name" hint="Lowercase letters, digits and dashes; it appears in every URL.">
        <Input
          id="org"
          name="org"
          required
          defaultValue={state && !state.ok ? state.org : undefined}
          pattern="[a-z0-9][a-z0-9\-]{0,62}"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          aria-describedby="org-hint"
        />
      </Field>
      <SubmitButton className="w-full" pendingText="Creating account…">
        Create account
      </SubmitButton>
    </form>
  );
}

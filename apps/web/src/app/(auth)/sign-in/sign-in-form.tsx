'use client';
import { useRouter } from 'next/navigation';
// Email and password sign-in through next-auth's credentials provider.
import { signIn } from 'next-auth/react';
import { type FormEvent, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { safeCallbackPath } from '@/lib/safe-redirect';

export function SignInForm({ next, initialError }: { next: string; initialError: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn('credentials', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      redirect: false,
    });
    if (!result || result.error || !result.ok) {
      setPending(false);
      // next-auth hands back the stable code our authorize() threw (never a detail or a stack).
      setError(
        result?.error === 'rate_limited' || result?.status === 429
          ? 'Too many attempts. Wait a minute and try again.'
          : 'Sign-in failed. Check your email and password.',
      );
      return;
    }
    // Checked again here, against the origin the browser is actually on.
    router.replace(safeCallbackPath(next, window.location.origin));
    router.refresh();
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate={false}>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Field id="email" label="Email">
        <Input id="email" name="email" type="email" autoComplete="email" required />
      </Field>
      <Field id="password" label="Password">
        <Input id="password" name="password" type="password" autoComplete="current-password" required />
      </Field>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}

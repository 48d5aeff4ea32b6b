// Sign-in page.
import Link from 'next/link';
import { getCore } from '@/lib/core';
import { safeCallbackPath } from '@/lib/safe-redirect';
import { SignInForm } from './sign-in-form';

export const metadata = { title: 'Sign in' };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string }>;
}) {
  const { callbackUrl, error } = await searchParams;
  // Only same-origin paths: an open redirect would hand the session's first page to someone else.
  const next = safeCallbackPath(callbackUrl, getCore().config.appUrl);
  return (
    <>
      <h1 className="text-xl font-semibold text-slate-900">Sign in to Pallet</h1>
      <p className="mt-1 mb-5 text-sm text-slate-600">Your repositories, tokens and audit log.</p>
      <SignInForm
        next={next}
        initialError={
          error === 'rate_limited'
            ? 'Too many attempts. Wait a minute and try again.'
            : error
              ? 'Sign-in failed. Check your email and password.'
              : null
        }
      />
      <p className="mt-5 text-sm text-slate-600">
        New here?{' '}
        <Link href="/sign-up" className="font-medium text-indigo-700 underline-offset-2 hover:underline">
          Create an account
        </Link>
      </p>
    </>
  );
}

// Sign-up page: an account and its first org in one step.
import Link from 'next/link';
import { getCore } from '@/lib/core';
import { safeCallbackPath } from '@/lib/safe-redirect';
import { SignUpForm } from './sign-up-form';

export const metadata = { title: 'Create an account' };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  // Only same-site paths (an invitation link, say): never an open redirect.
  const after = next ? safeCallbackPath(next, getCore().config.appUrl, '') || undefined : undefined;
  return (
    <>
      <h1 className="text-xl font-semibold text-slate-900">Create your Pallet account</h1>
      <p className="mt-1 mb-5 text-sm text-slate-600">
        You get an org of your own to hold repositories; invite your team to it later.
      </p>
      <SignUpForm next={after} />
      <p className="mt-5 text-sm text-slate-600">
        Already have an account?{' '}
        <Link
          href={after ? `/sign-in?callbackUrl=${encodeURIComponent(after)}` : '/sign-in'}
          className="font-medium text-indigo-700 underline-offset-2 hover:underline"
        >
          Sign in
        </Link>
      </p>
    </>
  );
}

// An invitation link: says which org and role it offers, and lets the signed-in user accept it.
import { DomainError, describeInvitation, type InvitationPreview } from '@pallet/core';
import { Package } from 'lucide-react';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { formatDate } from '@/components/format';
import { buttonClass } from '@/components/ui/button';
import { getCore } from '@/lib/core';
import { getSessionUser } from '@/lib/session';
import { AcceptForm } from './accept-form';

export const metadata = { title: 'Invitation' };

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let invitation: InvitationPreview;
  try {
    invitation = await describeInvitation(getCore(), token);
  } catch (err) {
    if (err instanceof DomainError && err.kind === 'not_found') notFound();
    throw err;
  }
  const user = await getSessionUser();
  const here = `/invite/${token}`;
  return (
    <main id="main" className="flex min-h-screen flex-col items-center px-4 py-12 sm:py-20">
      <Link href="/" className="mb-8 flex items-center gap-2 text-lg font-semibold text-slate-900">
        <Package aria-hidden="true" className="text-indigo-600" />
        Pallet
      </Link>
      <div className="w-full max-w-md rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <h1 className="text-xl font-semibold text-slate-900">Join {invitation.org.name} on Pallet</h1>
        <p className="mt-2 text-sm text-slate-700">
          You are invited as <strong>{invitation.role}</strong>
          {invitation.email ? ` (for ${invitation.email})` : ''}. The invitation is valid until{' '}
          {formatDate(invitation.expiresAt)}.
        </p>
        <div className="mt-5">
          {user ? (
            <>
              <p className="mb-3 text-sm text-slate-600">Signed in as {user.email}.</p>
              <AcceptForm token={token} org={invitation.org.slug} />
            </>
          ) : (
            <div className="flex flex-wrap gap-2">
              <Link
                href={`/sign-in?callbackUrl=${encodeURIComponent(here)}`}
                className={buttonClass('primary')}
              >
                Sign in to accept
              </Link>
              <Link href={`/sign-up?next=${encodeURIComponent(here)}`} className={buttonClass('secondary')}>
                Create an account
              </Link>
            </div>
          )}
        </div>
      </div>
    </main>
  );
}

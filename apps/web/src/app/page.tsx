// Landing page: signed-in users go straight to their first org; everyone else sees what Pallet is.
import { getMe } from '@pallet/core';
import { Package } from 'lucide-react';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { buttonClass } from '@/components/ui/button';
import { getCore } from '@/lib/core';
import { getSessionUser } from '@/lib/session';

// Per request: it reads the session (and the build has no database to read).
export const dynamic = 'force-dynamic';

export default async function Home() {
  const user = await getSessionUser();
  if (user) {
    const me = await getMe(getCore(), { kind: 'user', userId: user.userId, email: user.email });
    redirect(me.orgs[0] ? `/orgs/${me.orgs[0].slug}/repos` : '/orgs/new');
  }
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-3xl flex-col justify-center px-6 py-16">
      <div className="flex items-center gap-2 text-lg font-semibold text-slate-900">
        <Package aria-hidden="true" className="text-indigo-600" />
        Pallet
      </div>
      <h1 className="mt-6 text-3xl font-semibold tracking-tight text-slate-900 sm:text-4xl">
        Signed APT and YUM/DNF repositories, on your own machines.
      </h1>
      <p className="mt-4 max-w-2xl text-base text-slate-700">
        Upload .deb and .rpm packages from CI or the browser; Pallet builds and signs the indexes that apt,
        dnf and zypper expect, serves them publicly or behind read tokens, and records every change in an
        audit log. The REST API lives under <code>/api/v1</code>.
      </p>
      <div className="mt-8 flex flex-wrap gap-3">
        <Link href="/sign-up" className={buttonClass('primary')}>
          Create an account
        </Link>
        <Link href="/sign-in" className={buttonClass('secondary')}>
          Sign in
        </Link>
      </div>
    </main>
  );
}

// The shell of every org page. Resolving the org here makes every page below it a 404 for non-members.
import { getOrg } from '@pallet/core';
import type { ReactNode } from 'react';
import { AppHeader } from '@/components/shell/app-header';
import { loadOr404 } from '../../_lib/dashboard';
import { currentUser } from '../../_lib/orgs';

export default async function OrgLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ org: string }>;
}) {
  const { org } = await params;
  const current = await loadOr404((core, actor) => getOrg(core, actor, org));
  const { orgs, email } = await currentUser();
  return (
    <>
      <AppHeader email={email} org={current.slug} orgs={orgs} />
      <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
        {children}
      </main>
    </>
  );
}

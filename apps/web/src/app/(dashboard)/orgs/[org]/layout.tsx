// The shell of every org page. Resolving the org here makes every page below it a 404 for non-members.
import { checkEdgeCertificate, getOrg } from '@pallet/core';
import type { ReactNode } from 'react';
import { AppHeader } from '@/components/shell/app-header';
import { Alert } from '@/components/ui/alert';
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
  // The edge's certificate, where a TLS edge runs beside this instance: a renewal that keeps failing
  // shows here two weeks before clients would start refusing the repositories.
  const certificate = await loadOr404((core) => checkEdgeCertificate(core).catch(() => null));
  return (
    <>
      <AppHeader email={email} org={current.slug} orgs={orgs} />
      <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
        {certificate && certificate.status !== 'ok' ? (
          <div className="mb-6">
            <Alert tone="warning">
              {certificate.status === 'expired'
                ? `The HTTPS certificate of this instance's edge expired on ${certificate.notAfter.slice(0, 10)}: package clients refuse it. Check the edge's renewal (npm run edge).`
                : `The HTTPS certificate of this instance's edge expires in ${certificate.daysLeft} days (${certificate.notAfter.slice(0, 10)}) and has not been renewed. Check the edge's renewal (npm run edge).`}
            </Alert>
          </div>
        ) : null}
        {children}
      </main>
    </>
  );
}

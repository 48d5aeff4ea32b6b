// A repository's header and tabs. Resolving the repository here makes every tab a 404 for outsiders.
import { getRepository, listSigningKeys } from '@pallet/core';
import { Lock } from 'lucide-react';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { NavLink } from '@/components/shell/nav-link';
import { Badge } from '@/components/ui/badge';
import { loadOr404 } from '../../../../_lib/dashboard';
import { KeyExpiryBanner } from './key-expiry-banner';

export default async function RepositoryLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ org: string; repo: string }>;
}) {
  const { org, repo } = await params;
  const [r, keys] = await loadOr404((core, actor) =>
    Promise.all([getRepository(core, actor, org, repo), listSigningKeys(core, actor, org, repo)]),
  );
  const base = `/orgs/${org}/repos/${r.slug}`;
  const v = r.vulnerabilities;
  const vulnerable = v ? v.critical + v.high + v.medium + v.low + v.unknown : 0;
  return (
    <>
      <div className="mb-4">
        <div className="mb-1 text-sm text-slate-600">
          <Link href={`/orgs/${org}/repos`} className="hover:underline">
            {org}
          </Link>{' '}
          / repositories
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{r.slug}</h1>
          {r.visibility === 'private' ? (
            <Badge>
              <Lock size={11} aria-hidden="true" />
              private
            </Badge>
          ) : (
            <Badge tone="info">public</Badge>
          )}
        </div>
        {r.description ? <p className="mt-1 text-sm text-slate-600">{r.description}</p> : null}
      </div>
      <nav aria-label="Repository" className="mb-6 flex gap-4 overflow-x-auto border-b border-slate-200">
        <NavLink variant="tab" href={base} exact>
          Packages
        </NavLink>
        <NavLink variant="tab" href={`${base}/upload`}>
          Upload
        </NavLink>
        <NavLink variant="tab" href={`${base}/publications`}>
          Publications
        </NavLink>
        <NavLink variant="tab" href={`${base}/distributions`}>
          Distributions
        </NavLink>
        <NavLink variant="tab" href={`${base}/downloads`}>
          Downloads
        </NavLink>
        <NavLink variant="tab" href={`${base}/setup`}>
          Setup
        </NavLink>
        <NavLink variant="tab" href={`${base}/keys`}>
          Keys
        </NavLink>
        <NavLink variant="tab" href={`${base}/vulnerabilities`}>
          Vulnerabilities
          {vulnerable > 0 ? (
            <span
              className="ml-1 rounded-full bg-red-100 px-1.5 text-xs text-red-800"
              data-testid="vulnerability-count"
            >
              {vulnerable}
            </span>
          ) : null}
        </NavLink>
        <NavLink variant="tab" href={`${base}/policies`}>
          Policies
        </NavLink>
      </nav>
      <KeyExpiryBanner keys={keys} keysHref={`${base}/keys`} />
      {children}
    </>
  );
}

// The org's repositories: package counts, stored size and last publication at a glance.
import { checkEdgeCertificate, listRepositories } from '@pallet/core';
import { Boxes, Lock, Plus } from 'lucide-react';
import Link from 'next/link';
import { formatAgo, formatBytes, formatDate } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th } from '@/components/ui/table';
import { loadOr404 } from '../../../_lib/dashboard';

export const metadata = { title: 'Repositories' };

export default async function RepositoriesPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const [repos, certificate] = await loadOr404((core, actor) =>
    Promise.all([listRepositories(core, actor, org), checkEdgeCertificate(core).catch(() => null)]),
  );
  const newRepo = (
    <Link href={`/orgs/${org}/repos/new`} className={buttonClass('primary')}>
      <Plus size={16} aria-hidden="true" />
      New repository
    </Link>
  );
  return (
    <>
      <PageHeader
        title="Repositories"
        description="Each repository holds .deb and .rpm packages for one or more distributions, signed with its own key."
        actions={repos.length ? newRepo : undefined}
      />
      {certificate ? (
        <p className="mb-4 text-sm text-slate-600" data-edge-certificate={certificate.status}>
          Served over HTTPS by the edge: its certificate (
          {certificate.source === 'acme' ? 'ACME' : 'local CA'}) is valid for {certificate.daysLeft} more
          days, until {formatDate(certificate.notAfter)}.
        </p>
      ) : null}
      <Card>
        {repos.length === 0 ? (
          <EmptyState icon={<Boxes size={36} />} title="No repositories yet" action={newRepo}>
            Create a repository, upload a package to it, and Pallet builds and signs the APT and DNF indexes.
            Then follow its Setup tab on the machines that install from it.
          </EmptyState>
        ) : (
          <Table label="Repositories">
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Distributions</Th>
                <Th className="text-right">Packages</Th>
                <Th className="text-right">Size</Th>
                <Th>Last publication</Th>
              </tr>
            </thead>
            <tbody>
              {repos.map((r) => (
                <tr key={r.slug} className="hover:bg-slate-50">
                  <Td>
                    <div className="flex items-center gap-2">
                      <Link
                        href={`/orgs/${org}/repos/${r.slug}`}
                        className="font-medium text-indigo-700 underline-offset-2 hover:underline"
                      >
                        {r.slug}
                      </Link>
                      {r.visibility === 'private' ? (
                        <Badge>
                          <Lock size={11} aria-hidden="true" />
                          private
                        </Badge>
                      ) : (
                        <Badge tone="info">public</Badge>
                      )}
                    </div>
                    {r.description ? <p className="mt-0.5 text-xs text-slate-600">{r.description}</p> : null}
                  </Td>
                  <Td className="text-slate-700">
                    {r.distributions?.length ? (
                      r.distributions.join(', ')
                    ) : (
                      <span className="text-slate-600">none yet</span>
                    )}
                  </Td>
                  <Td className="text-right tabular-nums">{r.packageCount ?? 0}</Td>
                  <Td className="text-right tabular-nums">{formatBytes(r.totalSize ?? 0)}</Td>
                  <Td>
                    {r.lastPublishedAt ? (
                      <time dateTime={r.lastPublishedAt} title={formatDate(r.lastPublishedAt)}>
                        {formatAgo(r.lastPublishedAt)}
                      </time>
                    ) : (
                      <span className="text-slate-600">never</span>
                    )}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </>
  );
}

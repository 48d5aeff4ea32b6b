// The Publications tab: every signed generation of each distribution's indexes, newest first.
import { getRepository, listPublications } from '@pallet/core';
import { History } from 'lucide-react';
import Link from 'next/link';
import { AutoRefresh } from '@/components/auto-refresh';
import { formatDate } from '@/components/format';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Label, Select } from '@/components/ui/field';
import { Table, Td, Th } from '@/components/ui/table';
import { loadOr404 } from '../../../../../_lib/dashboard';
import { StatusBadge } from '../status-badge';

export const metadata = { title: 'Publications' };

export default async function PublicationsPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string; repo: string }>;
  searchParams: Promise<{ distribution?: string }>;
}) {
  const { org, repo } = await params;
  const { distribution } = await searchParams;
  const [r, publications] = await loadOr404((core, actor) =>
    Promise.all([
      getRepository(core, actor, org, repo),
      listPublications(core, actor, org, repo, { ...(distribution ? { distribution } : {}), limit: 100 }),
    ]),
  );
  if (!distribution && publications.length === 0) {
    return (
      <Card>
        <EmptyState
          icon={<History size={36} />}
          title="Nothing published yet"
          action={
            <Link href={`/orgs/${org}/repos/${repo}/upload`} className={buttonClass('primary')}>
              Upload a package
            </Link>
          }
        >
          A publication is one signed generation of a distribution’s indexes. Pallet makes one each time
          packages are added or deleted.
        </EmptyState>
      </Card>
    );
  }
  return (
    <>
      <AutoRefresh active={publications.some((p) => p.status === 'building')} />
      <form method="get" className="mb-4 flex flex-wrap items-end gap-2">
        <div className="space-y-1">
          <Label htmlFor="distribution">Distribution</Label>
          <Select id="distribution" name="distribution" defaultValue={distribution ?? ''}>
            <option value="">All</option>
            {(r.distributions ?? []).map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </Select>
        </div>
        <button type="submit" className={buttonClass('secondary')}>
          Filter
        </button>
      </form>
      <Card>
        <Table label="Publications">
          <thead>
            <tr>
              <Th>Published</Th>
              <Th>Distribution</Th>
              <Th>Status</Th>
              <Th className="text-right">Packages</Th>
              <Th>Release SHA-256</Th>
              <Th>SBOM</Th>
              <Th className="text-right">Restore</Th>
            </tr>
          </thead>
          <tbody>
            {publications.map((p) => (
              <tr key={p.id}>
                <Td className="whitespace-nowrap">
                  {p.publishedAt ? <time dateTime={p.publishedAt}>{formatDate(p.publishedAt)}</time> : '—'}
                </Td>
                <Td>{p.distribution}</Td>
                <Td>
                  <StatusBadge status={p.status} />
                </Td>
                <Td className="text-right tabular-nums">{p.packageCount}</Td>
                <Td>
                  {p.releaseSha256 ? (
                    <code className="text-xs break-all text-slate-700" title={p.releaseSha256}>
                      {p.releaseSha256.slice(0, 16)}…
                    </code>
                  ) : (
                    '—'
                  )}
                </Td>
                <Td className="whitespace-nowrap">
                  {p.publishedAt ? (
                    <span className="flex gap-3">
                      {(['cyclonedx', 'spdx'] as const).map((format) => (
                        <a
                          key={format}
                          href={`/api/v1/orgs/${org}/repos/${repo}/publications/${p.id}/sbom?format=${format}`}
                          download
                          className="text-sm font-medium text-indigo-700 underline-offset-2 hover:underline"
                          aria-label={`Download the ${format === 'spdx' ? 'SPDX' : 'CycloneDX'} SBOM of ${p.distribution}${p.current ? '' : ` (${p.id})`}`}
                        >
                          {format === 'spdx' ? 'SPDX' : 'CycloneDX'}
                        </a>
                      ))}
                    </span>
                  ) : (
                    <span
                      className="text-slate-400"
                      title="SBOMs are made for the publication a distribution serves now"
                    >
                      —
                    </span>
                  )}
                </Td>
                <Td className="text-right">
                  {p.status === 'superseded' ? (
                    <Link
                      href={`/orgs/${org}/repos/${repo}/publications/${p.id}`}
                      className={buttonClass('secondary', 'sm')}
                      aria-label={`Restore the publication of ${p.publishedAt ?? ''}`}
                    >
                      Restore…
                    </Link>
                  ) : null}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
    </>
  );
}

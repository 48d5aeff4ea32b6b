// The Packages tab: search, filters by distribution/architecture/status, pagination, status with reasons.
import { getRepository, listPackages } from '@pallet/core';
import { PackageOpen, Upload } from 'lucide-react';
import Link from 'next/link';
import { AutoRefresh } from '@/components/auto-refresh';
import { formatBytes, formatDate } from '@/components/format';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Input, Label, Select } from '@/components/ui/field';
import { Table, Td, Th } from '@/components/ui/table';
import { loadOr404 } from '../../../../_lib/dashboard';
import { DeletePackageButton } from './delete-package-button';
import { YankButton } from './lifecycle-buttons';
import { StatusBadge } from './status-badge';

export const metadata = { title: 'Packages' };

const PER_PAGE = 25;
const ARCHES = ['all', 'amd64', 'arm64', 'armhf', 'i386', 'noarch', 'x86_64', 'aarch64', 'src'];
const STATUSES = ['processing', 'published', 'quarantined', 'failed', 'deleting'];

type Query = { q?: string; distribution?: string; architecture?: string; status?: string; page?: string };

export default async function PackagesPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string; repo: string }>;
  searchParams: Promise<Query>;
}) {
  const { org, repo } = await params;
  const sp = await searchParams;
  const page = Math.max(1, Number.parseInt(sp.page ?? '1', 10) || 1);
  const filter = {
    ...(sp.q ? { q: sp.q } : {}),
    ...(sp.distribution ? { distribution: sp.distribution } : {}),
    ...(sp.architecture ? { architecture: sp.architecture } : {}),
    ...(sp.status && STATUSES.includes(sp.status) ? { status: sp.status } : {}),
  };
  const [repository, result] = await loadOr404((core, actor) =>
    Promise.all([
      getRepository(core, actor, org, repo),
      listPackages(core, actor, org, repo, { ...filter, page, per_page: PER_PAGE }),
    ]),
  );
  const filtered = Object.keys(filter).length > 0;
  const pages = Math.max(1, Math.ceil(result.total / PER_PAGE));
  const base = `/orgs/${org}/repos/${repo}`;
  const pageHref = (n: number) => `${base}?${new URLSearchParams({ ...filter, page: String(n) })}`;
  const inProgress = result.items.some((p) => p.status === 'processing' || p.status === 'deleting');

  if (!filtered && result.total === 0) {
    return (
      <Card>
        <EmptyState
          icon={<PackageOpen size={36} />}
          title="No packages yet"
          action={
            <Link href={`${base}/upload`} className={buttonClass('primary')}>
              <Upload size={16} aria-hidden="true" />
              Upload packages
            </Link>
          }
        >
          Upload a .deb or .rpm in the browser, or from CI with{' '}
          <code className="rounded bg-slate-100 px-1">
            curl -F file=@pkg.deb -F distribution=debian/bookworm
          </code>{' '}
          and a token with <code className="rounded bg-slate-100 px-1">repo:write</code>.
        </EmptyState>
      </Card>
    );
  }

  return (
    <>
      <AutoRefresh active={inProgress} />
      <form
        method="get"
        aria-label="Filter packages"
        className="mb-4 grid gap-3 sm:grid-cols-[1fr_auto_auto_auto_auto] sm:items-end"
      >
        <div className="space-y-1">
          <Label htmlFor="q">Search by name</Label>
          <Input id="q" name="q" type="search" defaultValue={sp.q} placeholder="package name" />
        </div>
        <div className="space-y-1">
          <Label htmlFor="distribution">Distribution</Label>
          <Select id="distribution" name="distribution" defaultValue={sp.distribution ?? ''}>
            <option value="">All</option>
            {(repository.distributions ?? []).map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </Select>
        </div>
        <div className="space-y-1">
          <Label htmlFor="architecture">Architecture</Label>
          <Select id="architecture" name="architecture" defaultValue={sp.architecture ?? ''}>
            <option value="">All</option>
            {ARCHES.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </Select>
        </div>
        <div className="space-y-1">
          <Label htmlFor="status">Status</Label>
          <Select id="status" name="status" defaultValue={sp.status ?? ''}>
            <option value="">All</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
        </div>
        <div className="flex gap-2">
          <button type="submit" className={buttonClass('secondary')}>
            Filter
          </button>
          {filtered ? (
            <Link href={base} className={buttonClass('ghost')}>
              Clear
            </Link>
          ) : null}
        </div>
      </form>
      <Card>
        {result.items.length === 0 ? (
          <EmptyState title="No package matches these filters">
            <Link href={base} className="text-indigo-700 underline">
              Clear the filters
            </Link>{' '}
            to see every package.
          </EmptyState>
        ) : (
          <Table label="Packages">
            <thead>
              <tr>
                <Th>Package</Th>
                <Th>Distribution</Th>
                <Th>Arch</Th>
                <Th className="text-right">Size</Th>
                <Th>Status</Th>
                <Th>Uploaded</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((p) => (
                <tr key={p.id} data-package={p.name}>
                  <Td>
                    <Link
                      href={`${base}/packages/${p.id}`}
                      className="font-medium text-slate-900 hover:underline"
                    >
                      {p.name}
                    </Link>
                    <div className="text-xs text-slate-600">
                      {p.version} · {p.format}
                      {p.component ? ` · ${p.component}` : ''}
                    </div>
                  </Td>
                  <Td>{p.distribution}</Td>
                  <Td>{p.architecture}</Td>
                  <Td className="text-right tabular-nums">{formatBytes(p.size)}</Td>
                  <Td>
                    <StatusBadge status={p.status} error={p.error} reason={p.quarantineReason} />
                  </Td>
                  <Td className="text-xs whitespace-nowrap text-slate-700">
                    <time dateTime={p.createdAt}>{formatDate(p.createdAt)}</time>
                  </Td>
                  <Td className="text-right">
                    {p.status !== 'deleting' && p.status !== 'removed' ? (
                      <>
                        <YankButton
                          org={org}
                          repo={repo}
                          id={p.id}
                          label={`${p.name} ${p.version} ${p.architecture}`}
                        />
                        <DeletePackageButton
                          org={org}
                          repo={repo}
                          id={p.id}
                          label={`${p.name} ${p.version} ${p.architecture}`}
                        />
                      </>
                    ) : null}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        <div className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm text-slate-700">
          <span>
            {result.total} package{result.total === 1 ? '' : 's'}
            {pages > 1 ? ` · page ${page} of ${pages}` : ''}
          </span>
          {pages > 1 ? (
            <nav aria-label="Pagination" className="flex gap-2">
              {page > 1 ? (
                <Link href={pageHref(page - 1)} className={buttonClass('secondary', 'sm')}>
                  Previous
                </Link>
              ) : null}
              {page < pages ? (
                <Link href={pageHref(page + 1)} className={buttonClass('secondary', 'sm')}>
                  Next
                </Link>
              ) : null}
            </nav>
          ) : null}
        </div>
      </Card>
    </>
  );
}

// The Vulnerabilities tab: counts by severity and every finding of the current package versions, with the
// advisory, its CVE aliases and the version that fixes it; filters by distribution, severity and package.
import { getRepository, listVulnerabilities, SEVERITIES } from '@pallet/core';
import { ShieldCheck } from 'lucide-react';
import Link from 'next/link';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Input, Label, Select } from '@/components/ui/field';
import { Table, Td, Th } from '@/components/ui/table';
import { loadOr404 } from '../../../../../_lib/dashboard';
import { FindingCells } from '../severity-badge';

export const metadata = { title: 'Vulnerabilities' };

type Query = { distribution?: string; severity?: string; package?: string };

export default async function VulnerabilitiesPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string; repo: string }>;
  searchParams: Promise<Query>;
}) {
  const { org, repo } = await params;
  const sp = await searchParams;
  const filter = {
    ...(sp.distribution ? { distribution: sp.distribution } : {}),
    ...(sp.severity && (SEVERITIES as readonly string[]).includes(sp.severity)
      ? { severity: sp.severity }
      : {}),
    ...(sp.package ? { package: sp.package } : {}),
  };
  const [repository, result] = await loadOr404((core, actor) =>
    Promise.all([getRepository(core, actor, org, repo), listVulnerabilities(core, actor, org, repo, filter)]),
  );
  const base = `/orgs/${org}/repos/${repo}`;
  const summary = repository.vulnerabilities;
  const filtered = Object.keys(filter).length > 0;
  return (
    <>
      {summary ? (
        <section aria-label="Vulnerability summary" className="mb-4 grid grid-cols-2 gap-3 sm:grid-cols-5">
          {(['critical', 'high', 'medium', 'low', 'unknown'] as const).map((s) => (
            <Card key={s} className="p-3">
              <div className="text-xs text-slate-600 capitalize">{s}</div>
              <div className="text-2xl font-semibold tabular-nums" data-summary={s}>
                {summary[s]}
              </div>
            </Card>
          ))}
        </section>
      ) : null}
      <form
        method="get"
        aria-label="Filter vulnerabilities"
        className="mb-4 grid gap-3 sm:grid-cols-[1fr_auto_auto_auto] sm:items-end"
      >
        <div className="space-y-1">
          <Label htmlFor="package">Package name</Label>
          <Input id="package" name="package" type="search" defaultValue={sp.package} />
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
          <Label htmlFor="severity">Severity</Label>
          <Select id="severity" name="severity" defaultValue={sp.severity ?? ''}>
            <option value="">All</option>
            {SEVERITIES.map((s) => (
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
            <Link href={`${base}/vulnerabilities`} className={buttonClass('ghost')}>
              Clear
            </Link>
          ) : null}
        </div>
      </form>
      <Card>
        {result.items.length === 0 ? (
          <EmptyState icon={<ShieldCheck size={36} />} title="No known vulnerabilities">
            No advisory affects the current version of any package{filtered ? ' matching these filters' : ''}.
            Advisories come from the OSV data the operator imports.
          </EmptyState>
        ) : (
          <Table label="Vulnerabilities">
            <thead>
              <tr>
                <Th>Package</Th>
                <Th>Distribution</Th>
                <Th>Advisory</Th>
                <Th>Severity</Th>
                <Th>Fixed in</Th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((v) => (
                <tr
                  key={`${v.package.id}-${v.advisory.id}`}
                  data-finding={`${v.package.name} ${v.advisory.id}`}
                >
                  <Td>
                    <Link
                      href={`${base}/packages/${v.package.id}`}
                      className="font-medium text-slate-900 hover:underline"
                    >
                      {v.package.name}
                    </Link>
                    <div className="text-xs text-slate-600">
                      {v.package.version} · {v.package.architecture}
                    </div>
                  </Td>
                  <Td>{v.package.distribution}</Td>
                  <FindingCells advisory={v.advisory} fixedVersion={v.fixedVersion} summaryWidth="max-w-md" />
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </>
  );
}

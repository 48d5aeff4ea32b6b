// One package: its metadata, status (a quarantine with its reason and the release button) and the known
// vulnerabilities of its version with the versions that fix them.
import { getDownloadStats, getPackage } from '@pallet/core';
import { ShieldCheck } from 'lucide-react';
import { formatBytes, formatDate } from '@/components/format';
import { BarChart, dailyBars } from '@/components/ui/bar-chart';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, Th } from '@/components/ui/table';
import { loadOr404 } from '../../../../../../_lib/dashboard';
import { ReleasePackageButton } from '../../release-package-button';
import { FindingCells } from '../../severity-badge';
import { StatusBadge } from '../../status-badge';

export const metadata = { title: 'Package' };

export default async function PackagePage({
  params,
}: {
  params: Promise<{ org: string; repo: string; id: string }>;
}) {
  const { org, repo, id } = await params;
  const p = await loadOr404((core, actor) => getPackage(core, actor, org, repo, id));
  const [days, versions] = await loadOr404((core, actor) =>
    Promise.all(
      ['day', 'version'].map((group_by) =>
        getDownloadStats(core, actor, org, repo, { group_by, package: p.name }),
      ),
    ),
  );
  const label = `${p.name} ${p.version} ${p.architecture}`;
  const facts: [string, string][] = [
    ['Version', p.version],
    ['Architecture', p.architecture],
    ['Distribution', p.distribution],
    ['Format', p.format],
    ['Size', formatBytes(p.size)],
    ['Licenses', p.licenses.length > 0 ? p.licenses.join(', ') : 'not declared'],
    ['SHA-256', p.sha256],
    ['Uploaded', formatDate(p.createdAt)],
  ];
  return (
    <>
      <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className="text-xl font-semibold text-slate-900">{p.name}</h2>
          <StatusBadge status={p.status} error={p.error} reason={p.quarantineReason} />
        </div>
        {p.status === 'quarantined' ? (
          <ReleasePackageButton org={org} repo={repo} id={p.id} label={label} />
        ) : null}
      </div>
      <Card className="mb-6 p-4">
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
          {facts.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-slate-600">{k}</dt>
              <dd className="break-all text-slate-900">{v}</dd>
            </div>
          ))}
        </dl>
      </Card>
      <h3 className="mb-2 text-lg font-semibold text-slate-900">Vulnerabilities</h3>
      <Card>
        {p.vulnerabilities.length === 0 ? (
          <EmptyState icon={<ShieldCheck size={32} />} title="No known vulnerabilities">
            No imported advisory affects this version.
          </EmptyState>
        ) : (
          <Table label="Package vulnerabilities">
            <thead>
              <tr>
                <Th>Advisory</Th>
                <Th>Severity</Th>
                <Th>Fixed in</Th>
              </tr>
            </thead>
            <tbody>
              {p.vulnerabilities.map((v) => (
                <tr key={v.advisory.id} data-finding={v.advisory.id}>
                  <FindingCells advisory={v.advisory} fixedVersion={v.fixedVersion} summaryWidth="max-w-xl" />
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
      <h3 className="mt-6 mb-2 text-lg font-semibold text-slate-900">Downloads</h3>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card className="p-4">
          <BarChart
            title={`${p.name}: downloads per day, last 30 days (${days!.total})`}
            bars={dailyBars(days!.items)}
          />
        </Card>
        <Card className="p-4">
          <BarChart
            title={`${p.name}: downloads per version`}
            bars={versions!.items
              .slice(0, 20)
              .map((i) => ({ label: i.version ?? i.key, value: i.downloads }))}
          />
        </Card>
      </div>
    </>
  );
}

// The Downloads tab: the repository's download statistics over the last 30 days (docs/statistics.md):
// per day, the most downloaded packages and versions, and per token for org admins.
import { DomainError, getDownloadStats } from '@pallet/core';
import { BarChart, dailyBars } from '@/components/ui/bar-chart';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, Td, Th } from '@/components/ui/table';
import { loadOr404 } from '../../../../../_lib/dashboard';

export const metadata = { title: 'Downloads' };

export default async function DownloadsPage({ params }: { params: Promise<{ org: string; repo: string }> }) {
  const { org, repo } = await params;
  const [days, packages, versions, tokens] = await loadOr404(async (core, actor) => {
    const q = (group_by: string) => getDownloadStats(core, actor, org, repo, { group_by });
    const byToken = await q('token').catch((err) => {
      if (err instanceof DomainError && err.kind === 'forbidden') return null;
      throw err;
    });
    return Promise.all([q('day'), q('package'), q('version'), byToken]);
  });
  if (days.total === 0)
    return (
      <Card>
        <EmptyState title="No downloads in the last 30 days">
          Package files fetched through this server (apt, dnf, zypper, curl) are counted here within seconds.
          Index files, HEAD requests and resumed ranges are not downloads (docs/statistics.md).
        </EmptyState>
      </Card>
    );
  return (
    <div className="space-y-6">
      <Card className="p-4">
        <BarChart
          title={`Downloads per day, last 30 days (${days.total} in all)`}
          bars={dailyBars(days.items)}
        />
      </Card>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card className="p-4">
          <BarChart
            title="Most downloaded packages"
            bars={packages.items.slice(0, 20).map((i) => ({ label: i.key, value: i.downloads }))}
          />
        </Card>
        <Card>
          <Table label="Downloads per version">
            <thead>
              <tr>
                <Th>Package</Th>
                <Th>Version</Th>
                <Th className="text-right">Downloads</Th>
              </tr>
            </thead>
            <tbody>
              {versions.items.slice(0, 50).map((i) => (
                <tr key={i.key}>
                  <Td>{i.package}</Td>
                  <Td>{i.version}</Td>
                  <Td className="text-right tabular-nums">{i.downloads}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
      </div>
      {tokens ? (
        <Card>
          <Table label="Downloads per token">
            <thead>
              <tr>
                <Th>Token</Th>
                <Th className="text-right">Downloads</Th>
              </tr>
            </thead>
            <tbody>
              {tokens.items.map((i) => (
                <tr key={i.key}>
                  <Td>{i.key === 'anonymous' ? 'without credentials' : (i.name ?? 'a deleted token')}</Td>
                  <Td className="text-right tabular-nums">{i.downloads}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
      ) : null}
    </div>
  );
}

// The Distributions tab: freeze state, retention policy with a "would remove" preview before it is
// applied, and promotion (copy or move) of packages from one distribution to another.
import {
  type DistributionView,
  listDistributions,
  previewRetention,
  type RetentionPreview,
} from '@pallet/core';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Input, Label, Select } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { Table, Td, Th } from '@/components/ui/table';
import { load, loadOr404 } from '../../../../../_lib/dashboard';
import { applyRetentionAction, promoteAction } from '../lifecycle-actions';
import { FreezeButton } from '../lifecycle-buttons';

export const metadata = { title: 'Distributions' };

type Search = {
  preview?: string;
  format?: string;
  keepVersions?: string;
  maxAgeDays?: string;
  notice?: string;
  error?: string;
};

const retentionText = (d: DistributionView) =>
  d.retention
    ? `newest ${d.retention.keepVersions}${d.retention.maxAgeDays ? `, younger than ${d.retention.maxAgeDays} days` : ''}`
    : 'keep all';

export default async function DistributionsPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string; repo: string }>;
  searchParams: Promise<Search>;
}) {
  const { org, repo } = await params;
  const q = await searchParams;
  const dists = await loadOr404((core, actor) => listDistributions(core, actor, org, repo));
  const previewing = q.preview
    ? dists.find((d) => d.name === q.preview && (!q.format || d.format === q.format))
    : undefined;
  let preview: RetentionPreview | null = null;
  let previewError: string | null = null;
  if (previewing && q.keepVersions) {
    const r = await load((core, actor) =>
      previewRetention(core, actor, org, repo, previewing.name, {
        keepVersions: q.keepVersions,
        ...(q.maxAgeDays ? { maxAgeDays: q.maxAgeDays } : {}),
        format: previewing.format,
      }),
    );
    if (r.ok) preview = r.data;
    else previewError = r.message;
  }
  return (
    <div className="space-y-6">
      {q.notice ? <Alert tone="success">{q.notice}</Alert> : null}
      {q.error ? <Alert tone="error">{q.error}</Alert> : null}
      <Card>
        <Table label="Distributions">
          <thead>
            <tr>
              <Th>Distribution</Th>
              <Th>Format</Th>
              <Th className="text-right">Packages</Th>
              <Th>Retention</Th>
              <Th>State</Th>
              <Th className="text-right">Actions</Th>
            </tr>
          </thead>
          <tbody>
            {dists.map((d) => (
              <tr key={`${d.format}:${d.name}`}>
                <Td>{d.name}</Td>
                <Td>{d.format}</Td>
                <Td className="text-right tabular-nums">{d.packageCount}</Td>
                <Td>
                  <a
                    className="text-indigo-700 hover:underline"
                    href={`?preview=${encodeURIComponent(d.name)}&format=${d.format}${d.retention ? `&keepVersions=${d.retention.keepVersions}${d.retention.maxAgeDays ? `&maxAgeDays=${d.retention.maxAgeDays}` : ''}` : ''}`}
                  >
                    {retentionText(d)}
                  </a>
                </Td>
                <Td>
                  {d.frozen ? <Badge tone="warning">frozen</Badge> : <Badge tone="success">open</Badge>}
                </Td>
                <Td className="text-right">
                  <FreezeButton
                    org={org}
                    repo={repo}
                    distribution={d.name}
                    format={d.format}
                    frozen={d.frozen}
                  />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
      {previewing ? (
        <Card>
          <div className="space-y-4 p-4">
            <h2 className="text-lg font-semibold">Retention of {previewing.name}</h2>
            <form method="get" className="flex flex-wrap items-end gap-2">
              <input type="hidden" name="preview" value={previewing.name} />
              <input type="hidden" name="format" value={previewing.format} />
              <div className="space-y-1">
                <Label htmlFor="keepVersions">Keep newest versions</Label>
                <Input
                  id="keepVersions"
                  name="keepVersions"
                  type="number"
                  min={1}
                  defaultValue={q.keepVersions ?? ''}
                />
              </div>
              <div className="space-y-1">
                <Label htmlFor="maxAgeDays">Only younger than (days, optional)</Label>
                <Input
                  id="maxAgeDays"
                  name="maxAgeDays"
                  type="number"
                  min={1}
                  defaultValue={q.maxAgeDays ?? ''}
                />
              </div>
              <button type="submit" className={buttonClass('secondary')}>
                Preview
              </button>
            </form>
            {previewError ? <Alert tone="error">{previewError}</Alert> : null}
            {preview ? (
              <div className="space-y-2" data-testid="retention-preview">
                <p className="text-sm text-slate-700">
                  Would remove {preview.wouldRemove.length} version(s) at the next publication (the newest
                  version of each package is always kept; removed files stay downloadable for the retention
                  period).
                </p>
                <ul className="list-inside list-disc text-sm">
                  {preview.wouldRemove.map((p) => (
                    <li key={p.id}>
                      {p.name} {p.version} ({p.architecture})
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            <form action={applyRetentionAction.bind(null, org, repo)} className="flex gap-2">
              <input type="hidden" name="distribution" value={previewing.name} />
              <input type="hidden" name="format" value={previewing.format} />
              <input type="hidden" name="keepVersions" value={q.keepVersions ?? ''} />
              <input type="hidden" name="maxAgeDays" value={q.maxAgeDays ?? ''} />
              <SubmitButton pendingText="Saving…">
                {q.keepVersions ? 'Apply this policy' : 'Keep every version'}
              </SubmitButton>
            </form>
          </div>
        </Card>
      ) : null}
      <Card>
        <form action={promoteAction.bind(null, org, repo)} className="flex flex-wrap items-end gap-2 p-4">
          <h2 className="w-full text-lg font-semibold">Promote packages</h2>
          <div className="space-y-1">
            <Label htmlFor="from">From</Label>
            <Select id="from" name="from" required>
              {dists.map((d) => (
                <option key={`${d.format}:${d.name}`} value={d.name}>
                  {d.name}
                </option>
              ))}
            </Select>
          </div>
          <div className="space-y-1">
            <Label htmlFor="to">To distribution</Label>
            <Input id="to" name="to" required placeholder="debian/stable" />
          </div>
          <div className="space-y-1">
            <Label htmlFor="toRepo">To repository (optional)</Label>
            <Input id="toRepo" name="toRepo" placeholder={repo} />
          </div>
          <div className="space-y-1">
            <Label htmlFor="name">Package name (empty: all)</Label>
            <Input id="name" name="name" />
          </div>
          <div className="space-y-1">
            <Label htmlFor="mode">Mode</Label>
            <Select id="mode" name="mode" defaultValue="copy">
              <option value="copy">copy</option>
              <option value="move">move</option>
            </Select>
          </div>
          <SubmitButton pendingText="Promoting…">Promote</SubmitButton>
        </form>
      </Card>
    </div>
  );
}

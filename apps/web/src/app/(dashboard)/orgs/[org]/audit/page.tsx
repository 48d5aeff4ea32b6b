// The audit log: who changed what, when and from where, newest first, with filters and CSV export.
import { isAuditEventId, listAuditEvents } from '@pallet/core';
import { Download, ScrollText } from 'lucide-react';
import Link from 'next/link';
import { formatDate } from '@/components/format';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Label, Select } from '@/components/ui/field';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th } from '@/components/ui/table';
import { load } from '../../../_lib/dashboard';
import { ACTION_FILTERS, actionFilter } from './filters';

export const metadata = { title: 'Audit log' };

const PAGE = 50;

function detailsText(details: unknown): string {
  if (!details || typeof details !== 'object' || Object.keys(details).length === 0) return '';
  return Object.entries(details as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
}

export default async function AuditPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<{ action?: string; before?: string }>;
}) {
  const { org } = await params;
  const sp = await searchParams;
  const action = actionFilter(sp.action);
  const before = sp.before && isAuditEventId(sp.before) ? sp.before : undefined;
  const loaded = await load((core, actor) =>
    listAuditEvents(core, actor, org, {
      limit: PAGE,
      ...(before ? { before } : {}),
      ...(action ? { action } : {}),
    }),
  );
  const exportHref = `/orgs/${org}/audit/export${action ? `?action=${encodeURIComponent(action)}` : ''}`;
  const header = (
    <PageHeader
      title="Audit log"
      description="Every change in this org: sign-ups, repositories, uploads, publications, tokens and members. Entries cannot be edited or removed."
      actions={
        loaded.ok ? (
          <a href={exportHref} className={buttonClass('secondary')} download>
            <Download size={16} aria-hidden="true" />
            Export CSV
          </a>
        ) : undefined
      }
    />
  );
  if (!loaded.ok)
    return (
      <>
        {header}
        <Alert tone="warning">{loaded.message}</Alert>
      </>
    );
  const { items, nextBefore } = loaded.data;
  const olderHref = nextBefore
    ? `/orgs/${org}/audit?${new URLSearchParams({ ...(action ? { action } : {}), before: nextBefore })}`
    : null;
  return (
    <>
      {header}
      <form method="get" className="mb-4 flex flex-wrap items-end gap-2">
        <div className="space-y-1">
          <Label htmlFor="action">Action</Label>
          <Select id="action" name="action" defaultValue={action ?? ''}>
            {ACTION_FILTERS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </div>
        <button type="submit" className={buttonClass('secondary')}>
          Filter
        </button>
        {action || before ? (
          <Link href={`/orgs/${org}/audit`} className={buttonClass('ghost')}>
            Newest, all actions
          </Link>
        ) : null}
      </form>
      <Card>
        {items.length === 0 ? (
          <EmptyState icon={<ScrollText size={36} />} title="No events match">
            Changes appear here as they happen. Try another action filter.
          </EmptyState>
        ) : (
          <Table label="Audit events">
            <thead>
              <tr>
                <Th>When (UTC)</Th>
                <Th>Actor</Th>
                <Th>Action</Th>
                <Th>Target</Th>
                <Th>IP</Th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id} data-action={e.action}>
                  <Td className="text-xs whitespace-nowrap">
                    <time dateTime={e.at}>{formatDate(e.at)}</time>
                  </Td>
                  <Td className="text-sm break-all">{e.actor}</Td>
                  <Td>
                    <code className="text-xs text-slate-900">{e.action}</code>
                  </Td>
                  <Td>
                    <div className="text-sm">{e.target}</div>
                    {detailsText(e.details) ? (
                      <div className="mt-0.5 text-xs break-all text-slate-600">{detailsText(e.details)}</div>
                    ) : null}
                  </Td>
                  <Td className="text-xs text-slate-700">{e.ip ?? '—'}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        {olderHref ? (
          <div className="flex justify-end px-4 py-3">
            <Link href={olderHref} className={buttonClass('secondary', 'sm')}>
              Older events
            </Link>
          </div>
        ) : null}
      </Card>
    </>
  );
}

// One webhook's delivery log: each event's status, response code, duration and attempts, with redelivery.
import { getWebhook, listWebhookDeliveries } from '@pallet/core';
import { AutoRefresh } from '@/components/auto-refresh';
import { ConfirmAction } from '@/components/confirm-action';
import { formatAgo } from '@/components/format';
import { Alert } from '@/components/ui/alert';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th } from '@/components/ui/table';
import { load } from '../../../../_lib/dashboard';
import { redeliverAction } from '../actions';

export const metadata = { title: 'Webhook deliveries' };

const TONE: Record<string, BadgeTone> = {
  delivered: 'success',
  failed: 'danger',
  retrying: 'warning',
  queued: 'info',
  pending: 'info',
};

export default async function WebhookDeliveriesPage({
  params,
}: {
  params: Promise<{ org: string; id: string }>;
}) {
  const { org, id } = await params;
  const loaded = await load((core, actor) =>
    Promise.all([getWebhook(core, actor, org, id), listWebhookDeliveries(core, actor, org, id)]),
  );
  if (!loaded.ok)
    return (
      <>
        <PageHeader title="Webhook deliveries" />
        <Alert tone="warning">{loaded.message}</Alert>
      </>
    );
  const [hook, deliveries] = loaded.data;
  const busy = deliveries.some((d) => d.status !== 'delivered' && d.status !== 'failed');
  return (
    <>
      <PageHeader title="Webhook deliveries" description={hook.url} />
      <AutoRefresh active={busy} intervalMs={3000} />
      <Card>
        {deliveries.length === 0 ? (
          <EmptyState title="No deliveries yet">Events this webhook subscribes to appear here.</EmptyState>
        ) : (
          <Table label="Deliveries">
            <thead>
              <tr>
                <Th>Event</Th>
                <Th>Status</Th>
                <Th>Response</Th>
                <Th>Duration</Th>
                <Th>Attempts</Th>
                <Th>When</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id} data-delivery={d.id}>
                  <Td>
                    <code className="text-xs">{d.event}</code>
                    {d.redeliveryOf ? <div className="text-xs text-slate-600">redelivery</div> : null}
                  </Td>
                  <Td>
                    <Badge tone={TONE[d.status] ?? 'neutral'}>{d.status}</Badge>
                    {d.error && d.status !== 'delivered' ? (
                      <div className="mt-1 max-w-xs text-xs break-words text-red-800">{d.error}</div>
                    ) : null}
                  </Td>
                  <Td className="text-xs">{d.responseStatus ?? '—'}</Td>
                  <Td className="text-xs">{d.durationMs === null ? '—' : `${d.durationMs} ms`}</Td>
                  <Td className="text-xs">{d.attempts}</Td>
                  <Td className="text-xs whitespace-nowrap">{formatAgo(d.createdAt)}</Td>
                  <Td className="text-right">
                    <ConfirmAction
                      trigger="Redeliver"
                      triggerVariant="secondary"
                      triggerLabel={`Redeliver ${d.event}`}
                      title="Send this event again?"
                      description="A new delivery with the same event id and a fresh signature is queued."
                      confirmLabel="Redeliver"
                      pendingLabel="Queuing…"
                      action={redeliverAction.bind(null, org, id, d.id)}
                    />
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

// The Webhooks page: the org's webhooks (never their secrets), creation and deletion.
import { listWebhooks, WEBHOOK_EVENTS } from '@pallet/core';
import Link from 'next/link';
import { ConfirmAction } from '@/components/confirm-action';
import { formatDate } from '@/components/format';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th } from '@/components/ui/table';
import { load } from '../../../_lib/dashboard';
import { deleteWebhookAction } from './actions';
import { CreateWebhookForm } from './create-webhook-form';

export const metadata = { title: 'Webhooks' };

export default async function WebhooksPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const loaded = await load((core, actor) => listWebhooks(core, actor, org));
  const header = (
    <PageHeader
      title="Webhooks"
      description="Pallet POSTs signed JSON to your URL when packages are published, fail or are deleted, when a publication switches, a key is about to expire, a vulnerability is found or a token behaves as if leaked. See docs/webhooks.md for verifying the signature."
    />
  );
  if (!loaded.ok)
    return (
      <>
        {header}
        <Alert tone="warning">{loaded.message}</Alert>
      </>
    );
  const hooks = loaded.data;
  return (
    <>
      {header}
      <div className="grid gap-6 lg:grid-cols-[1fr_22rem] lg:items-start">
        <Card>
          {hooks.length === 0 ? (
            <EmptyState title="No webhooks yet">
              Add one to tell CI, chat or a deployment system that a package was published.
            </EmptyState>
          ) : (
            <Table label="Webhooks">
              <thead>
                <tr>
                  <Th>URL</Th>
                  <Th>Events</Th>
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </thead>
              <tbody>
                {hooks.map((h) => (
                  <tr key={h.id} data-webhook={h.url}>
                    <Td>
                      <Link
                        href={`/orgs/${org}/webhooks/${h.id}`}
                        className="font-medium break-all text-indigo-700 hover:underline"
                      >
                        {h.url}
                      </Link>
                      <div className="text-xs text-slate-600">
                        secret <code>{h.secretPrefix}</code> · created {formatDate(h.createdAt)}
                      </div>
                    </Td>
                    <Td>
                      <div className="flex flex-wrap gap-1">
                        {h.events.map((e) => (
                          <Badge key={e}>{e}</Badge>
                        ))}
                      </div>
                    </Td>
                    <Td className="text-right">
                      <ConfirmAction
                        trigger="Delete"
                        triggerLabel={`Delete webhook ${h.url}`}
                        title="Delete this webhook?"
                        description="No more events are sent to it, and its delivery log is deleted."
                        confirmLabel="Delete webhook"
                        pendingLabel="Deleting…"
                        action={deleteWebhookAction.bind(null, org, h.id)}
                      />
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
        <Card>
          <CardHeader title="New webhook" />
          <CardBody>
            <CreateWebhookForm org={org} events={WEBHOOK_EVENTS} />
          </CardBody>
        </Card>
      </div>
    </>
  );
}

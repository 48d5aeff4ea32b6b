// One token's access log (downloads through /dl per minute and address, docs/access-monitoring.md), its
// leaked-token alert and a one-click revoke.
import { listTokenAccess } from '@pallet/core';
import { ConfirmAction } from '@/components/confirm-action';
import { formatAgo, formatDate } from '@/components/format';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th } from '@/components/ui/table';
import { load } from '../../../../_lib/dashboard';
import { revokeTokenAction } from '../actions';

export const metadata = { title: 'Token access' };

export default async function TokenAccessPage({ params }: { params: Promise<{ org: string; id: string }> }) {
  const { org, id } = await params;
  const loaded = await load((core, actor) => listTokenAccess(core, actor, org, id));
  if (!loaded.ok)
    return (
      <>
        <PageHeader title="Token access" />
        <Alert tone="warning">{loaded.message}</Alert>
      </>
    );
  const { token, items, addresses } = loaded.data;
  const revoke = token.revokedAt ? null : (
    <ConfirmAction
      trigger="Revoke"
      triggerLabel={`Revoke token ${token.name}`}
      title={`Revoke “${token.name}”?`}
      description="Requests with this token fail from now on. This cannot be undone."
      confirmLabel="Revoke token"
      pendingLabel="Revoking…"
      action={revokeTokenAction.bind(null, org, token.id)}
    />
  );
  return (
    <>
      <PageHeader
        title={`Token “${token.name}”`}
        description={`${token.prefix}… — downloads through /dl by minute and client address, kept for a limited time.`}
      />
      <div className="mb-4 flex flex-wrap items-center gap-3">
        {token.revokedAt ? (
          <Badge tone="danger">revoked {formatDate(token.revokedAt)}</Badge>
        ) : (
          <Badge tone="success">active</Badge>
        )}
        <span className="text-sm text-slate-600">
          {addresses} address{addresses === 1 ? '' : 'es'} in the log below
        </span>
        {revoke}
      </div>
      {token.suspiciousAt && !token.revokedAt ? (
        <div className="mb-4">
          <Alert tone="error">
            This token looks leaked ({formatAgo(token.suspiciousAt)}): {token.suspiciousReason}. If you do not
            recognise these addresses, revoke it and give its users a new one.
          </Alert>
        </div>
      ) : null}
      <Card>
        {items.length === 0 ? (
          <EmptyState title="No downloads with this token yet">
            Each request to repository files with this token is logged here within seconds.
          </EmptyState>
        ) : (
          <Table label="Access log">
            <thead>
              <tr>
                <Th>Minute</Th>
                <Th>Address</Th>
                <Th className="text-right">Requests</Th>
                <Th>Files</Th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={`${a.at}-${a.ip}`} data-access-ip={a.ip}>
                  <Td className="text-xs whitespace-nowrap">{formatDate(a.at)}</Td>
                  <Td className="font-mono text-xs">{a.ip}</Td>
                  <Td className="text-right tabular-nums">{a.requests}</Td>
                  <Td className="max-w-md text-xs break-all text-slate-700">{a.files.join(', ')}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </>
  );
}

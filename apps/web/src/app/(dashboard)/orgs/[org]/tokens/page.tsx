// The Tokens page: the org's API tokens (never their secrets), creation and revocation.
import { listClientCertificates, listRepositories, listTokens } from '@pallet/core';
import Link from 'next/link';
import { ConfirmAction } from '@/components/confirm-action';
import { formatAgo, formatDate } from '@/components/format';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th } from '@/components/ui/table';
import { load } from '../../../_lib/dashboard';
import { revokeClientCertificateAction, revokeTokenAction } from './actions';
import { CreateTokenForm } from './create-token-form';

export const metadata = { title: 'API tokens' };

export default async function TokensPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const loaded = await load((core, actor) =>
    Promise.all([
      listTokens(core, actor, org),
      listRepositories(core, actor, org),
      listClientCertificates(core, actor, org),
    ]),
  );
  const header = (
    <PageHeader
      title="API tokens"
      description="Tokens let CI upload packages and machines install from private repositories. Pallet stores only a hash: a secret is shown once, when it is created."
    />
  );
  if (!loaded.ok)
    return (
      <>
        {header}
        <Alert tone="warning">{loaded.message}</Alert>
      </>
    );
  const [tokens, repos, certificates] = loaded.data;
  const now = Date.now();
  return (
    <>
      {header}
      <div className="grid gap-6 lg:grid-cols-[1fr_22rem] lg:items-start">
        <Card>
          {tokens.length === 0 ? (
            <EmptyState title="No tokens yet">
              Create a <code>repo:write</code> token for CI, and a <code>repo:read</code> token for each fleet
              or customer that installs from a private repository.
            </EmptyState>
          ) : (
            <Table label="Tokens">
              <thead>
                <tr>
                  <Th>Name</Th>
                  <Th>Scopes</Th>
                  <Th>Created by</Th>
                  <Th>Last used</Th>
                  <Th>State</Th>
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => {
                  return (
                    <tr key={t.id} data-token={t.name}>
                      <Td>
                        <Link
                          href={`/orgs/${org}/tokens/${t.id}`}
                          className="font-medium text-indigo-700 hover:underline"
                        >
                          {t.name}
                        </Link>
                        <div className="text-xs text-slate-600">
                          <code>{t.prefix}…</code>
                          {t.customer ? ` · ${t.customer}` : ''} · created {formatDate(t.createdAt)}
                        </div>
                      </Td>
                      <Td>
                        <div className="flex flex-wrap gap-1">
                          {t.scopes.map((s) => (
                            <Badge key={s}>{s}</Badge>
                          ))}
                        </div>
                        <div className="mt-1 text-xs text-slate-600">
                          {t.repos.length ? t.repos.join(', ') : 'all repositories'}
                        </div>
                        {!t.revokedAt && t.effectiveScopes.join() !== t.scopes.join() ? (
                          <div className="mt-1 text-xs text-amber-800">
                            {t.effectiveScopes.length
                              ? `acts as ${t.effectiveScopes.join(', ')}: its creator's role allows no more`
                              : 'inactive: its creator is no longer a member'}
                          </div>
                        ) : null}
                      </Td>
                      <Td className="text-xs">{t.createdBy?.email ?? 'a former user'}</Td>
                      <Td className="text-xs whitespace-nowrap">{formatAgo(t.lastUsedAt)}</Td>
                      <Td>
                        {t.suspiciousAt && !t.revokedAt ? (
                          <div className="mb-1">
                            <Badge tone="danger">suspicious</Badge>
                          </div>
                        ) : null}
                        <GrantState revokedAt={t.revokedAt} expiresAt={t.expiresAt} now={now} />
                      </Td>
                      <Td className="text-right">
                        {!t.revokedAt ? (
                          <ConfirmAction
                            trigger="Revoke"
                            triggerLabel={`Revoke token ${t.name}`}
                            title={`Revoke “${t.name}”?`}
                            description="Requests with this token fail from now on. This cannot be undone."
                            confirmLabel="Revoke token"
                            pendingLabel="Revoking…"
                            action={revokeTokenAction.bind(null, org, t.id)}
                          />
                        ) : null}
                      </Td>
                    </tr>
                  );
                })}
              </tbody>
            </Table>
          )}
        </Card>
        {certificates.length ? (
          <Card className="lg:col-start-1">
            <CardHeader title="Client certificates" />
            <Table label="Client certificates">
              <thead>
                <tr>
                  <Th>Name</Th>
                  <Th>Repositories</Th>
                  <Th>Last used</Th>
                  <Th>State</Th>
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </thead>
              <tbody>
                {certificates.map((c) => {
                  return (
                    <tr key={c.id} data-certificate={c.name}>
                      <Td>
                        <div className="font-medium text-slate-900">{c.name}</div>
                        <div className="text-xs text-slate-600">
                          <code>{c.fingerprint.slice(0, 16)}…</code> · created {formatDate(c.createdAt)}
                        </div>
                      </Td>
                      <Td className="text-xs">
                        {c.repos.length ? c.repos.join(', ') : 'all repositories'} (read)
                      </Td>
                      <Td className="text-xs whitespace-nowrap">{formatAgo(c.lastUsedAt)}</Td>
                      <Td>
                        <GrantState revokedAt={c.revokedAt} expiresAt={c.notAfter} now={now} />
                      </Td>
                      <Td className="text-right">
                        {!c.revokedAt ? (
                          <ConfirmAction
                            trigger="Revoke"
                            triggerLabel={`Revoke certificate ${c.name}`}
                            title={`Revoke “${c.name}”?`}
                            description="Machines presenting this certificate are refused from now on. This cannot be undone."
                            confirmLabel="Revoke certificate"
                            pendingLabel="Revoking…"
                            action={revokeClientCertificateAction.bind(null, org, c.id)}
                          />
                        ) : null}
                      </Td>
                    </tr>
                  );
                })}
              </tbody>
            </Table>
          </Card>
        ) : null}
        <Card className="lg:col-start-2 lg:row-start-1">
          <CardHeader title="New token" />
          <CardBody>
            <CreateTokenForm org={org} repos={repos.map((r) => r.slug)} />
          </CardBody>
        </Card>
      </div>
    </>
  );
}

/** Whether a token or client certificate grants anything now: revoked, expired, or active until when. */
function GrantState({
  revokedAt,
  expiresAt,
  now,
}: {
  revokedAt: string | null;
  expiresAt: string | null;
  now: number;
}) {
  if (revokedAt) return <Badge tone="danger">revoked</Badge>;
  if (expiresAt !== null && new Date(expiresAt).getTime() <= now)
    return <Badge tone="neutral">expired</Badge>;
  return (
    <>
      <Badge tone="success">active</Badge>
      {expiresAt ? <div className="mt-1 text-xs text-slate-600">until {formatDate(expiresAt)}</div> : null}
    </>
  );
}

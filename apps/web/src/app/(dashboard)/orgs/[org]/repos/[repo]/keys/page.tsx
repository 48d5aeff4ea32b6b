// The Keys tab: the repository's signing keys and where machines download the public half.
import { getOrg, getRepository, listSigningKeys } from '@pallet/core';
import { Download } from 'lucide-react';
import { formatDate } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { getCore } from '@/lib/core';
import { loadOr404 } from '../../../../../_lib/dashboard';
import { RetireKeyButton, RevokeKeyButton, RotateKeyButton } from './key-buttons';

export const metadata = { title: 'Signing keys' };

function groupFingerprint(fp: string): string {
  return fp
    .toUpperCase()
    .replace(/(.{4})/g, '$1 ')
    .trim();
}

export default async function KeysPage({ params }: { params: Promise<{ org: string; repo: string }> }) {
  const { org, repo } = await params;
  const [o, r, keys] = await loadOr404((core, actor) =>
    Promise.all([
      getOrg(core, actor, org),
      getRepository(core, actor, org, repo),
      listSigningKeys(core, actor, org, repo),
    ]),
  );
  const root = `/dl/${o.slug}/${repo}`;
  return (
    <Card>
      <CardHeader
        title="Signing keys"
        description="Pallet signs every publication of this repository with its active key (and a retiring key during a rotation). Clients check signatures against the public keys below; the keyring package brings them new keys through ordinary upgrades."
        actions={
          <div className="flex flex-wrap gap-2">
            <RotateKeyButton org={o.slug} repo={repo} disabled={keys.some((k) => k.status === 'retiring')} />
            <a href={`${root}/gpg.asc`} className={buttonClass('secondary', 'sm')} download>
              <Download size={14} aria-hidden="true" />
              gpg.asc (armored)
            </a>
            <a href={`${root}/gpg.gpg`} className={buttonClass('secondary', 'sm')} download>
              <Download size={14} aria-hidden="true" />
              gpg.gpg (keyring)
            </a>
            {keys.some((k) => k.status === 'revoked') ? (
              <a href={`${root}/revoked.asc`} className={buttonClass('secondary', 'sm')} download>
                <Download size={14} aria-hidden="true" />
                revoked.asc (revocations)
              </a>
            ) : null}
          </div>
        }
      />
      {r.visibility === 'private' ? (
        <p className="border-b border-slate-200 px-4 py-2.5 text-sm text-slate-700 sm:px-5">
          This repository is private: machines download the key with a read token, e.g.{' '}
          <code className="text-xs break-all">
            curl -u token:$PALLET_TOKEN {`${getCore().config.dlUrl}/${o.slug}/${r.slug}/gpg.asc`}
          </code>
          . The Setup tab has the full command.
        </p>
      ) : null}
      <Table label="Signing keys">
        <thead>
          <tr>
            <Th>Fingerprint</Th>
            <Th>Algorithm</Th>
            <Th>Status</Th>
            <Th>Created</Th>
            <Th>Expires</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.fingerprint}>
              <Td>
                <code className="text-xs break-all text-slate-900" data-fingerprint={k.fingerprint}>
                  {groupFingerprint(k.fingerprint)}
                </code>
              </Td>
              <Td className="whitespace-nowrap">
                {k.algorithm}
                {k.bits && !k.algorithm.includes(String(k.bits)) ? ` (${k.bits} bits)` : ''}
              </Td>
              <Td>
                <Badge
                  tone={
                    k.status === 'active'
                      ? 'success'
                      : k.status === 'retiring'
                        ? 'warning'
                        : k.status === 'revoked'
                          ? 'danger'
                          : 'neutral'
                  }
                >
                  {k.status}
                </Badge>
                {k.revocationReason ? (
                  <span className="ml-2 text-xs text-slate-600">{k.revocationReason}</span>
                ) : null}
              </Td>
              <Td className="whitespace-nowrap">{formatDate(k.createdAt)}</Td>
              <Td className="whitespace-nowrap">{k.expiresAt ? formatDate(k.expiresAt) : 'never'}</Td>
              <Td className="whitespace-nowrap text-right">
                {k.status === 'retiring' ? (
                  <RetireKeyButton org={o.slug} repo={repo} fingerprint={k.fingerprint} />
                ) : null}
                {k.status !== 'revoked' ? (
                  <RevokeKeyButton org={o.slug} repo={repo} fingerprint={k.fingerprint} />
                ) : null}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Card>
  );
}

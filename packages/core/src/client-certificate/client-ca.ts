// An org's client CAs: one made by Pallet (its private key sealed under the master key, as signing keys
// are) or uploaded by the org (certificate only; the org issues with it and registers what it issued).
import type { ClientCa } from '@pallet/db';
import { openPrivateKey, sealPrivateKey } from '@pallet/openpgp';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record-audit-event';
import { type Actor, actingUserId } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { Conflict, InvalidRequest } from '../errors/domain-errors';
import {
  CertificateInputError,
  checkCertificateAuthority,
  createCertificateAuthority,
} from './x509-certificates';

const CA_VALID_DAYS = 3650;

export const createClientCaInput = z.object({
  name: z.string().trim().min(1).max(100),
  certificatePem: z.string().max(20_000).optional(),
});

export interface ClientCaView {
  id: string;
  name: string;
  fingerprint: string;
  certificatePem: string;
  /** made by Pallet (it can issue certificates) or uploaded (register what it issued) */
  managed: boolean;
  notAfter: string;
  createdAt: string;
}

export function toClientCaView(ca: ClientCa): ClientCaView {
  return {
    id: ca.id,
    name: ca.name,
    fingerprint: ca.fingerprint,
    certificatePem: ca.certificatePem,
    managed: ca.sealedPrivateKey !== null,
    notAfter: ca.notAfter.toISOString(),
    createdAt: ca.createdAt.toISOString(),
  };
}

/** The envelope's associated data binds a sealed CA key to its own certificate. */
const aadOf = (fingerprint: string) => `client-ca:${fingerprint}`;

export function openClientCaKey(ctx: CoreContext, ca: ClientCa): string {
  if (!ca.sealedPrivateKey)
    throw new InvalidRequest('This CA was uploaded: Pallet cannot issue with it.', 'ca_not_managed');
  return openPrivateKey(ca.sealedPrivateKey, ctx.config.masterKey, aadOf(ca.fingerprint));
}

/** Makes the org's CA (Pallet keeps the key), or registers an uploaded CA certificate. */
export async function createClientCa(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  raw: unknown,
): Promise<ClientCaView> {
  const parsed = createClientCaInput.safeParse(raw);
  if (!parsed.success) throw new InvalidRequest(parsed.error.issues[0]?.message ?? 'Invalid CA request.');
  const org = await authorizeOrg(ctx, actor, orgSlug, 'admin');
  return toClientCaView(await insertClientCa(ctx, actor, org.id, parsed.data));
}

export async function insertClientCa(
  ctx: CoreContext,
  actor: Actor,
  orgId: string,
  input: { name: string; certificatePem?: string },
): Promise<ClientCa> {
  let facts: { pem: string; fingerprint: string; notAfter: Date };
  let sealed: Uint8Array | null = null;
  try {
    if (input.certificatePem) {
      facts = checkCertificateAuthority(input.certificatePem);
    } else {
      const made = await createCertificateAuthority(input.name, CA_VALID_DAYS);
      facts = made;
      sealed = sealPrivateKey(made.privateKeyPem, ctx.config.masterKey, aadOf(made.fingerprint));
    }
  } catch (err) {
    if (err instanceof CertificateInputError) throw new InvalidRequest(err.message, 'invalid_certificate');
    throw err;
  }
  return ctx.db.$transaction(async (tx) => {
    if (await tx.clientCa.findFirst({ where: { orgId, fingerprint: facts.fingerprint } }))
      throw new Conflict('This CA is already registered.');
    const ca = await tx.clientCa.create({
      data: {
        orgId,
        name: input.name,
        certificatePem: facts.pem,
        fingerprint: facts.fingerprint,
        sealedPrivateKey: sealed ? Buffer.from(sealed) : null,
        notAfter: facts.notAfter,
        createdById: actingUserId(actor) ?? null,
      },
    });
    await recordAuditEvent(tx, {
      orgId,
      actor,
      action: 'client_ca.create',
      target: `client CA ${ca.name}`,
      targetId: ca.id,
      details: { fingerprint: ca.fingerprint, managed: sealed !== null },
    });
    return ca;
  });
}

export async function listClientCas(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
): Promise<ClientCaView[]> {
  const org = await authorizeOrg(ctx, actor, orgSlug, 'admin');
  const cas = await ctx.db.clientCa.findMany({ where: { orgId: org.id }, orderBy: { createdAt: 'asc' } });
  return cas.map(toClientCaView);
}

/**
 * Every org's CA certificates, for the edge's ssl_client_certificate: public data (a CA certificate
 * grants nothing by itself; Pallet decides per registered certificate).
 */
export async function clientCaBundle(ctx: CoreContext): Promise<string> {
  const cas = await ctx.db.clientCa.findMany({
    where: { notAfter: { gt: new Date() } },
    select: { certificatePem: true },
    orderBy: { createdAt: 'asc' },
  });
  return cas.map((c) => c.certificatePem.trim()).join('\n');
}

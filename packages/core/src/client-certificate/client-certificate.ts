// Client certificates as read grants: issued by the org's Pallet-made CA (from a CSR, or with a key
// handed out once), or registered after the org issued them with its own uploaded CA. Like a read
// token: limited to repositories, bounded by its creator's current role, revocable at once.
import type { ClientCertificate } from '@pallet/db';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record-audit-event';
import { type Actor, actingUserId } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { Conflict, InvalidRequest, NotFound } from '../errors/domain-errors';
import { insertClientCa, openClientCaKey } from './client-ca';
import { CertificateInputError, checkIssuedBy, issueClientCertificate } from './x509-certificates';

export const createClientCertificateInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    repos: z.array(z.string()).optional(),
    /** a PKCS#10 request: the private key never leaves the machine */
    csrPem: z.string().max(20_000).optional(),
    /** a certificate the org issued with its own (uploaded) CA, to register */
    certificatePem: z.string().max(20_000).optional(),
    validDays: z.number().int().min(1).max(825).optional(),
  })
  .refine((v) => !(v.csrPem && v.certificatePem), 'Give csrPem or certificatePem, not both.');

export interface ClientCertificateView {
  id: string;
  name: string;
  fingerprint: string;
  serialNumber: string;
  subject: string;
  repos: string[];
  caId: string;
  notAfter: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

function toView(c: ClientCertificate, repoSlugs: Map<string, string>): ClientCertificateView {
  return {
    id: c.id,
    name: c.name,
    fingerprint: c.fingerprint,
    serialNumber: c.serialNumber,
    subject: c.subject,
    repos: c.repositoryIds.map((id) => repoSlugs.get(id) ?? id),
    caId: c.caId,
    notAfter: c.notAfter.toISOString(),
    lastUsedAt: c.lastUsedAt?.toISOString() ?? null,
    revokedAt: c.revokedAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
  };
}

function inputError(err: unknown): never {
  if (err instanceof CertificateInputError) throw new InvalidRequest(err.message, 'invalid_certificate');
  throw err;
}

export async function createClientCertificate(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  raw: unknown,
): Promise<ClientCertificateView & { certificatePem: string; caPem: string; privateKeyPem?: string }> {
  const parsed = createClientCertificateInput.safeParse(raw);
  if (!parsed.success)
    throw new InvalidRequest(parsed.error.issues[0]?.message ?? 'Invalid certificate request.');
  const input = parsed.data;
  const org = await authorizeOrg(ctx, actor, orgSlug, 'admin');
  const slugs = input.repos ?? [];
  const repos = slugs.length
    ? await ctx.db.repository.findMany({ where: { orgId: org.id, slug: { in: slugs } } })
    : [];
  if (repos.length !== new Set(slugs).size) throw new NotFound('repository');

  let issued: Awaited<ReturnType<typeof issueClientCertificate>>;
  let caId: string;
  let caPem: string;
  if (input.certificatePem) {
    const cas = await ctx.db.clientCa.findMany({ where: { orgId: org.id } });
    const checked = await checkIssuedBy(
      input.certificatePem,
      cas.map((c) => c.certificatePem),
    ).catch(inputError);
    const ca = cas.find((c) => c.certificatePem === checked.caPem)!;
    issued = checked;
    caId = ca.id;
    caPem = ca.certificatePem;
  } else {
    // The org's first certificate makes its CA.
    const ca =
      (await ctx.db.clientCa.findFirst({
        where: { orgId: org.id, sealedPrivateKey: { not: null } },
        orderBy: { createdAt: 'asc' },
      })) ?? (await insertClientCa(ctx, actor, org.id, { name: `${org.slug} client CA` }));
    issued = await issueClientCertificate({
      caPem: ca.certificatePem,
      caPrivateKeyPem: openClientCaKey(ctx, ca),
      subjectName: `${org.slug}:${input.name}`,
      validDays: input.validDays ?? 365,
      csrPem: input.csrPem,
    }).catch(inputError);
    caId = ca.id;
    caPem = ca.certificatePem;
  }

  const row = await ctx.db.$transaction(async (tx) => {
    if (await tx.clientCertificate.findUnique({ where: { fingerprint: issued.fingerprint } }))
      throw new Conflict('This certificate is already registered.');
    const created = await tx.clientCertificate.create({
      data: {
        orgId: org.id,
        caId,
        name: input.name,
        fingerprint: issued.fingerprint,
        serialNumber: issued.serialNumber,
        subject: issued.subject,
        repositoryIds: repos.map((r) => r.id),
        notAfter: issued.notAfter,
        createdById: actingUserId(actor) ?? null,
      },
    });
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor,
      action: 'client_certificate.create',
      target: `client certificate ${created.name}`,
      targetId: created.id,
      details: {
        fingerprint: created.fingerprint,
        repositoryIds: created.repositoryIds,
        notAfter: created.notAfter.toISOString(),
        keyMadeByPallet: Boolean(issued.privateKeyPem),
      },
    });
    return created;
  });
  const view = toView(row, new Map(repos.map((r) => [r.id, r.slug])));
  return {
    ...view,
    certificatePem: issued.pem,
    caPem,
    ...(issued.privateKeyPem ? { privateKeyPem: issued.privateKeyPem } : {}),
  };
}

export async function listClientCertificates(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
): Promise<ClientCertificateView[]> {
  const org = await authorizeOrg(ctx, actor, orgSlug, 'admin');
  const [rows, repos] = await Promise.all([
    ctx.db.clientCertificate.findMany({ where: { orgId: org.id }, orderBy: { createdAt: 'desc' } }),
    ctx.db.repository.findMany({ where: { orgId: org.id }, select: { id: true, slug: true } }),
  ]);
  const slugs = new Map(repos.map((r) => [r.id, r.slug]));
  return rows.map((r) => toView(r, slugs));
}

/** Revokes a certificate's grant: the origin refuses it from the next request, the edge within EDGE_AUTH_TTL. */
export async function revokeClientCertificate(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  id: string,
): Promise<void> {
  const org = await authorizeOrg(ctx, actor, orgSlug, 'admin');
  await ctx.db.$transaction(async (tx) => {
    const cert = await tx.clientCertificate.findFirst({ where: { id, orgId: org.id } });
    if (!cert) throw new NotFound('client certificate');
    if (cert.revokedAt) return;
    await tx.clientCertificate.update({ where: { id: cert.id }, data: { revokedAt: new Date() } });
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor,
      action: 'client_certificate.revoke',
      target: `client certificate ${cert.name}`,
      targetId: cert.id,
      details: { fingerprint: cert.fingerprint },
    });
  });
}

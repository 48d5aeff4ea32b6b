// The shipped edge's TLS certificate as the edge recorded it (`var/edge/tls/state.json`, written by
// scripts/lib/edge-tls.mjs on every issuance): days left for health output and the dashboard, and one
// system audit event per certificate the edge installed (renewals included).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { CoreContext } from '../context/core-context';

/** Under this many days left, health and the dashboard raise the alarm (a renewal has been failing). */
export const CERTIFICATE_ALERT_DAYS = 14;
const DAY_MS = 86_400_000;

export interface EdgeCertificate {
  status: 'ok' | 'expiring' | 'expired';
  daysLeft: number;
  notAfter: string;
  source: string;
  subjectAltName: string;
  renewedAt: string;
}

interface CertificateState {
  source: string;
  subjectAltName: string;
  issuer: string;
  serialNumber: string;
  notAfter: string;
  renewedAt: string;
}

async function readState(ctx: CoreContext): Promise<CertificateState | null> {
  try {
    const state = JSON.parse(await readFile(join(ctx.config.edgeDir, 'tls', 'state.json'), 'utf8'));
    return typeof state?.notAfter === 'string' && typeof state?.serialNumber === 'string' ? state : null;
  } catch {
    return null;
  }
}

/** The edge's certificate, or null where no TLS edge runs beside this instance. */
export async function checkEdgeCertificate(
  ctx: CoreContext,
  now = Date.now(),
): Promise<EdgeCertificate | null> {
  const state = await readState(ctx);
  if (!state) return null;
  await recordCertificateInstalled(ctx, state);
  const daysLeft = Math.floor((Date.parse(state.notAfter) - now) / DAY_MS);
  return {
    status: daysLeft < 0 ? 'expired' : daysLeft < CERTIFICATE_ALERT_DAYS ? 'expiring' : 'ok',
    daysLeft,
    notAfter: state.notAfter,
    source: state.source,
    subjectAltName: state.subjectAltName,
    renewedAt: state.renewedAt,
  };
}

const recorded = new Set<string>();

async function recordCertificateInstalled(ctx: CoreContext, state: CertificateState): Promise<void> {
  if (recorded.has(state.serialNumber)) return;
  await ctx.db.$transaction(async (tx) => {
    // One event per certificate, however many processes look at the same state file.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('pallet:edge-certificate'))`;
    const seen = await tx.auditEvent.findFirst({
      where: { orgId: null, action: 'edge.certificate_installed', targetId: state.serialNumber },
      select: { id: true },
    });
    if (seen) return;
    await recordAuditEvent(tx, {
      orgId: null,
      actor: { kind: 'system' },
      action: 'edge.certificate_installed',
      target: `edge certificate ${state.subjectAltName}`,
      targetId: state.serialNumber,
      details: {
        source: state.source,
        issuer: state.issuer,
        notAfter: state.notAfter,
        renewedAt: state.renewedAt,
      },
    });
  });
  recorded.add(state.serialNumber);
}

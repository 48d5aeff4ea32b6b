// Master-key (or KMS) rotation: re-wraps every signing key's data key under the current wrapper, leaving the
// sealed OpenPGP key bytes untouched; old v1 envelopes (sealed under the master key directly) move to v2, and
// the transparency log's key is re-sealed under the current master key. Run by `npm run keys -- rewrap`
// with PALLET_MASTER_KEY = the new key and PALLET_PREVIOUS_MASTER_KEY = the old one (or PALLET_KMS_KEY_ID).
import {
  decodeDataKeyEnvelope,
  encodeDataKeyEnvelope,
  envelopeVersion,
  openPrivateKey,
  sealPrivateKey,
} from '@pallet/openpgp';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { CoreContext } from '../context/core-context';
import { logKeyEnvelopeContext } from '../transparency-log/load-log-signer';
import { dataKeyWrappers, masterKeyWrapper } from './data-key-wrappers';
import { openLegacyEnvelope, sealPrivateKeyAtRest, unwrapDataKey } from './seal-private-key';

export interface RewrapResult {
  rewrapped: number;
  upgraded: number;
  unchanged: number;
  logKeyResealed: boolean;
}

export async function rewrapSealedKeys(ctx: CoreContext): Promise<RewrapResult> {
  const { config } = ctx;
  const current = dataKeyWrappers(config).current;
  const result: RewrapResult = { rewrapped: 0, upgraded: 0, unchanged: 0, logKeyResealed: false };
  const keys = await ctx.db.signingKey.findMany({
    include: { repository: { select: { orgId: true, slug: true } } },
    orderBy: { createdAt: 'asc' },
  });
  for (const key of keys) {
    const sealed = new Uint8Array(key.sealedPrivateKey);
    let next: Uint8Array;
    let from: string;
    if (envelopeVersion(sealed) === 1) {
      from = 'master-key (v1 envelope)';
      next = await sealPrivateKeyAtRest(
        config,
        openLegacyEnvelope(config, sealed, key.fingerprint),
        key.fingerprint,
      );
      result.upgraded++;
    } else {
      const envelope = decodeDataKeyEnvelope(sealed);
      if (await isCurrent(ctx, envelope.wrapping, envelope.wrappedDataKey, key.fingerprint)) {
        result.unchanged++;
        continue;
      }
      from = envelope.wrapping;
      const dataKey = await unwrapDataKey(
        config,
        envelope.wrapping,
        envelope.wrappedDataKey,
        key.fingerprint,
      );
      try {
        next = encodeDataKeyEnvelope({
          wrapping: current.kind,
          wrappedDataKey: await current.wrap(dataKey, key.fingerprint),
          sealed: envelope.sealed,
        });
      } finally {
        dataKey.fill(0);
      }
      result.rewrapped++;
    }
    await ctx.db.$transaction(async (tx) => {
      // Compare-and-set: a key changed meanwhile (extended, say) is left for the next run.
      const updated = await tx.signingKey.updateMany({
        where: { id: key.id, sealedPrivateKey: key.sealedPrivateKey },
        data: { sealedPrivateKey: Buffer.from(next) },
      });
      if (updated.count === 0) return;
      await recordAuditEvent(tx, {
        orgId: key.repository.orgId,
        actor: { kind: 'system' },
        action: 'signing_key.rewrap',
        target: `signing key ${key.repository.slug} ${key.fingerprint}`,
        targetId: key.id,
        details: { fingerprint: key.fingerprint, from, to: current.kind },
      });
    });
  }
  result.logKeyResealed = await resealLogKey(ctx);
  return result;
}

/** Already wrapped the way new keys are: same kind, and for the master key, by the current one. */
async function isCurrent(ctx: CoreContext, kind: string, wrapped: Uint8Array, context: string) {
  const current = dataKeyWrappers(ctx.config).current;
  if (kind !== current.kind) return false;
  if (kind === 'aws-kms') return true;
  try {
    (await masterKeyWrapper(ctx.config.masterKey).unwrap(wrapped, context)).fill(0);
    return true;
  } catch {
    return false;
  }
}

/** The transparency log's Ed25519 key stays a v1 envelope under the master key; only its master key moves. */
async function resealLogKey(ctx: CoreContext): Promise<boolean> {
  const rows = await ctx.db.transparencyLogKey.findMany();
  let resealed = false;
  for (const row of rows) {
    const sealed = new Uint8Array(row.sealedPrivateKey);
    const context = logKeyEnvelopeContext(row.name);
    try {
      openPrivateKey(sealed, ctx.config.masterKey, context);
      continue;
    } catch {
      // sealed under the previous master key: re-seal below
    }
    const pem = openLegacyEnvelope(ctx.config, sealed, context);
    await ctx.db.transparencyLogKey.update({
      where: { id: row.id },
      data: { sealedPrivateKey: Buffer.from(sealPrivateKey(pem, ctx.config.masterKey, context)) },
    });
    resealed = true;
  }
  return resealed;
}

// The transparency log's Ed25519 keys: the log key (row 1, signs checkpoints) and the witness key
// (row 2, cosigns other logs' checkpoints), each created on first use with the private half sealed under
// the master key like repository signing keys (packages/openpgp key-envelope), unsealed once a process.
import { generateKeyPairSync } from 'node:crypto';
import { sealPrivateKey } from '@pallet/openpgp';
import {
  type Cosigner,
  createCosigner,
  createNoteSigner,
  formatVerifierKey,
  type NoteSigner,
} from '@pallet/tlog';
import type { CoreContext } from '../context/core-context';
import { openLegacyEnvelope } from '../custody/seal-private-key';

const LOG_KEY_ROW = 1;
const WITNESS_KEY_ROW = 2;

export interface LogSigner extends NoteSigner {
  publicKey: Uint8Array;
  /** the note verifier key clients pin: `<name>+<hex key hash>+<base64 0x01||key>` */
  verifierKey: string;
}

const signers = new WeakMap<CoreContext, Promise<LogSigner>>();
const cosigners = new WeakMap<CoreContext, Promise<Cosigner>>();

/** The envelope's additional data binds the sealed key to the name it signs as. */
export function logKeyEnvelopeContext(name: string): string {
  return `transparency-log:${name}`;
}

/** The key's name and PKCS#8 PEM; the name is fixed by whoever created the row first. */
async function readOrCreateKey(
  ctx: CoreContext,
  id: number,
  name: string,
): Promise<{ name: string; pem: string }> {
  // Outside any caller's transaction, so a rolled-back publication never leaves a cached key behind.
  let row = await ctx.db.transparencyLogKey.findUnique({ where: { id } });
  if (!row) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
    // Two processes may race on first use: the first insert wins and both read it back.
    await ctx.db.transparencyLogKey.createMany({
      data: [
        {
          id,
          name,
          publicKey: raw,
          sealedPrivateKey: Buffer.from(
            sealPrivateKey(pem, ctx.config.masterKey, logKeyEnvelopeContext(name)),
          ),
        },
      ],
      skipDuplicates: true,
    });
    row = await ctx.db.transparencyLogKey.findUniqueOrThrow({ where: { id } });
  }
  // The previous master key still opens it while a master-key rotation is under way (custody/rewrap).
  const pem = openLegacyEnvelope(
    ctx.config,
    new Uint8Array(row.sealedPrivateKey),
    logKeyEnvelopeContext(row.name),
  );
  return { name: row.name, pem };
}

function cached<T>(
  map: WeakMap<CoreContext, Promise<T>>,
  ctx: CoreContext,
  load: () => Promise<T>,
): Promise<T> {
  let value = map.get(ctx);
  if (!value) {
    value = load();
    map.set(ctx, value);
    value.catch(() => map.delete(ctx));
  }
  return value;
}

export function loadLogSigner(ctx: CoreContext): Promise<LogSigner> {
  return cached(signers, ctx, async () => {
    const { name, pem } = await readOrCreateKey(ctx, LOG_KEY_ROW, ctx.config.logName);
    const signer = createNoteSigner(name, pem);
    return { ...signer, verifierKey: formatVerifierKey(name, signer.publicKey) };
  });
}

/** This instance's witness key (a C2SP tlog-cosignature Ed25519 cosigner). */
export function loadWitnessCosigner(ctx: CoreContext): Promise<Cosigner> {
  return cached(cosigners, ctx, async () => {
    const { name, pem } = await readOrCreateKey(ctx, WITNESS_KEY_ROW, `${ctx.config.logName}/witness`);
    return createCosigner(name, pem);
  });
}

// The transparency log's Ed25519 note key: one row, created on first use, the private half sealed under
// the master key like repository signing keys (packages/openpgp key-envelope) and unsealed once a process.
import { generateKeyPairSync } from 'node:crypto';
import { openPrivateKey, sealPrivateKey } from '@pallet/openpgp';
import { createNoteSigner, formatVerifierKey, type NoteSigner } from '@pallet/tlog';
import type { CoreContext } from '../context/core-context';

const KEY_ROW = 1;

export interface LogSigner extends NoteSigner {
  publicKey: Uint8Array;
  /** the note verifier key clients pin: `<name>+<hex key hash>+<base64 0x01||key>` */
  verifierKey: string;
}

const cache = new WeakMap<CoreContext, Promise<LogSigner>>();

/** The envelope's additional data binds the sealed key to the log it signs for. */
function envelopeContext(name: string): string {
  return `transparency-log:${name}`;
}

async function readOrCreateKey(ctx: CoreContext): Promise<LogSigner> {
  // Outside any caller's transaction, so a rolled-back publication never leaves a cached key behind.
  let row = await ctx.db.transparencyLogKey.findUnique({ where: { id: KEY_ROW } });
  if (!row) {
    const name = ctx.config.logName;
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const signer = createNoteSigner(name, pem);
    // Two processes may race on first use: the first insert wins and both read it back.
    await ctx.db.transparencyLogKey.createMany({
      data: [
        {
          id: KEY_ROW,
          name,
          publicKey: Buffer.from(signer.publicKey),
          sealedPrivateKey: Buffer.from(sealPrivateKey(pem, ctx.config.masterKey, envelopeContext(name))),
        },
      ],
      skipDuplicates: true,
    });
    row = await ctx.db.transparencyLogKey.findUniqueOrThrow({ where: { id: KEY_ROW } });
  }
  const pem = openPrivateKey(
    new Uint8Array(row.sealedPrivateKey),
    ctx.config.masterKey,
    envelopeContext(row.name),
  );
  const signer = createNoteSigner(row.name, pem);
  return { ...signer, verifierKey: formatVerifierKey(row.name, signer.publicKey) };
}

export function loadLogSigner(ctx: CoreContext): Promise<LogSigner> {
  let signer = cache.get(ctx);
  if (!signer) {
    signer = readOrCreateKey(ctx);
    cache.set(ctx, signer);
    signer.catch(() => cache.delete(ctx));
  }
  return signer;
}

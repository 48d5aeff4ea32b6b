// Verifies Pallet's own signatures with openpgp.js (self-check after signing, tests), judging them
// like apt's gpgv method: valid when at least one signature is good and none is bad.
import type { PublicKey, Signature, VerifyMessageResult } from 'openpgp';
import { toBytes } from './detach-sign';
import { loadOpenpgp } from './load-openpgp';
import { readPublicKeys } from './public-keyring';
import type { SignatureCheck, VerificationResult } from './types';

export interface VerifyOptions {
  /** Time at which key and signature validity are judged (defaults to now). */
  date?: Date;
}

export async function verifyDetached(
  data: Uint8Array | string,
  signature: string | Uint8Array,
  publicKeysArmored: string[],
  opts: VerifyOptions = {},
): Promise<VerificationResult> {
  const { createMessage, readSignature, verify } = await loadOpenpgp();
  const verificationKeys = await readPublicKeys(publicKeysArmored);
  const message = await createMessage({ binary: toBytes(data) });
  const parsed: Signature =
    typeof signature === 'string'
      ? await readSignature({ armoredSignature: signature })
      : await readSignature({ binarySignature: signature });
  const result = await verify({
    message,
    signature: parsed,
    verificationKeys,
    date: opts.date,
    format: 'binary',
  });
  return judge(result.signatures, verificationKeys);
}

export async function verifyCleartext(
  armored: string,
  publicKeysArmored: string[],
  opts: VerifyOptions = {},
): Promise<VerificationResult & { text: string }> {
  const { readCleartextMessage, verify } = await loadOpenpgp();
  const verificationKeys = await readPublicKeys(publicKeysArmored);
  const message = await readCleartextMessage({ cleartextMessage: armored });
  const result = await verify({ message, verificationKeys, date: opts.date });
  return { ...(await judge(result.signatures, verificationKeys)), text: result.data };
}

async function judge(
  signatures: VerifyMessageResult['signatures'],
  keys: PublicKey[],
): Promise<VerificationResult> {
  const known = new Set(keys.flatMap((key) => key.getKeyIDs().map((id) => id.toHex())));
  const checks: SignatureCheck[] = await Promise.all(
    signatures.map(async ({ keyID, verified }) => {
      const keyId = keyID.toHex().toUpperCase();
      if (!known.has(keyID.toHex())) return { keyId, status: 'unknown-key' as const };
      const good = await verified.then(
        () => true,
        () => false,
      );
      return { keyId, status: good ? ('good' as const) : ('bad' as const) };
    }),
  );
  const valid = checks.some((c) => c.status === 'good') && !checks.some((c) => c.status === 'bad');
  return { valid, signatures: checks };
}

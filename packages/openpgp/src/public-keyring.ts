// Public-key bundles for clients: a binary keyring (apt `signed-by=…gpg`, `gpgv --keyring`) and
// one armored block holding several keys (repomd.xml.key, `signed-by=…asc`, rpm --import).
import type { PublicKey } from 'openpgp';
import { loadOpenpgp } from './load-openpgp';

/** Dearmors and concatenates the public keys (private parts, if any, are dropped). */
export async function publicKeyToBinary(armored: string | string[]): Promise<Uint8Array> {
  const keys = await readPublicKeys(Array.isArray(armored) ? armored : [armored]);
  return concat(keys.map((key) => key.write()));
}

export async function combineArmoredPublicKeys(armored: string[]): Promise<string> {
  const { armor, enums } = await loadOpenpgp();
  // The CRC footer works around a GnuPG dearmoring bug (dev.gnupg.org/T7071); it is fine for v4 keys.
  return armor(
    enums.armor.publicKey,
    await publicKeyToBinary(armored),
    undefined,
    undefined,
    undefined,
    true,
  );
}

/** Reads every key in the armored blocks as public keys. */
export async function readPublicKeys(armored: string[]): Promise<PublicKey[]> {
  if (armored.length === 0) throw new Error('At least one public key is required');
  const { readKeys } = await loadOpenpgp();
  const keys = await Promise.all(armored.map((armoredKeys) => readKeys({ armoredKeys })));
  return keys.flat().map((key) => key.toPublic());
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

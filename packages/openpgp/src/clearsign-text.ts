// Makes InRelease: the text as an OpenPGP cleartext signed message, one v4 SHA-512 signature per key
// (several during a key rotation), laid out the way `gpg --clearsign` does so apt's strict parser accepts it.
import { loadOpenpgp } from './load-openpgp';
import { readSigningKeys, SIGNING_CONFIG } from './signing-config';

export interface SignOptions {
  /** Signature creation time (defaults to now); must lie within every key's validity. */
  date?: Date;
}

export async function clearsignText(
  text: string,
  privateKeysArmored: string[],
  opts: SignOptions = {},
): Promise<string> {
  const { createCleartextMessage, sign } = await loadOpenpgp();
  const signingKeys = await readSigningKeys(privateKeysArmored);
  // gpg treats the file's final newline as the one before BEGIN PGP SIGNATURE (not signed, no blank line).
  const message = await createCleartextMessage({ text: text.replace(/\r?\n$/, '') });
  const armored = await sign({ message, signingKeys, date: opts.date, config: SIGNING_CONFIG });
  // openpgp.js emits the signed lines with CRLF; line endings are not part of the hash, and LF is what gpg writes.
  return armored.replace(/\r\n/g, '\n');
}

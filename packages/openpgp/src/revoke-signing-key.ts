// A key's revocation for a compromise drill: the public key with a key-revocation signature (type 0x20,
// reason "key compromised") made by the key itself, the form `gpg --import` applies to a keyring.
import { loadOpenpgp } from './load-openpgp';
import { readSigningKeys, SIGNING_CONFIG } from './signing-config';

/** Returns the armored revoked public key (no private material). */
export async function revokeSigningKey(
  privateKeyArmored: string,
  opts: { reason: string; date?: Date },
): Promise<string> {
  const { enums, revokeKey } = await loadOpenpgp();
  const [key] = await readSigningKeys([privateKeyArmored]);
  const { publicKey } = await revokeKey({
    key: key!,
    reasonForRevocation: { flag: enums.reasonForRevocation.keyCompromised, string: opts.reason },
    date: opts.date,
    format: 'armored',
    config: SIGNING_CONFIG,
  });
  return publicKey;
}

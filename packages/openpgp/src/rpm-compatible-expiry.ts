// Re-signs a new key's user self-certification with the key-expiration subpacket marked NON-critical.
// Why: openpgp.js always marks it critical, and rpm ≤ 4.19's own OpenPGP parser (EL8/EL9, SUSE, Debian's
// rpm 4.18) rejects keys whose critical subpackets it does not implement ("key 1 import failed"); gpg writes
// it non-critical too. Relies on openpgp.js 6.3 internals (pinned exact), guarded by the rpm --import test.
import type { Config, PrivateKey, SecretKeyPacket, SignaturePacket, UserIDPacket } from 'openpgp';
import { loadOpenpgp } from './load-openpgp';
import { SIGNING_CONFIG } from './signing-config';

const KEY_EXPIRATION_SUBPACKET = 9;
const CRITICAL = 0x80;
const SALT_NOTATION = 'salt@notations.openpgpjs.org';

/** The untyped parts of openpgp.js' SignaturePacket used here (sign() needs a full config at runtime). */
interface SignaturePacketInternals {
  writeHashedSubPackets(): Uint8Array;
  sign(
    key: SecretKeyPacket,
    data: { userID: UserIDPacket; key: SecretKeyPacket },
    date: Date | undefined,
    detached: boolean,
    config: Config,
  ): Promise<void>;
}

export async function makeKeyExpiryNonCritical(privateKey: PrivateKey): Promise<void> {
  const { config: defaultConfig } = await loadOpenpgp();
  const signingConfig: Config = { ...defaultConfig, ...SIGNING_CONFIG };
  const keyPacket = privateKey.keyPacket as SecretKeyPacket;
  for (const user of privateKey.users) {
    if (!user.userID) continue;
    for (const certification of user.selfCertifications) {
      if (certification.keyExpirationTime === null) continue;
      clearCriticalBitOnKeyExpiration(certification);
      // sign() adds a fresh salt notation and refuses to find an old one.
      certification.rawNotations = certification.rawNotations.filter((n) => n.name !== SALT_NOTATION);
      const data = { userID: user.userID, key: keyPacket };
      const internals = certification as unknown as SignaturePacketInternals;
      await internals.sign(keyPacket, data, certification.created ?? undefined, false, signingConfig);
    }
  }
}

function clearCriticalBitOnKeyExpiration(signature: SignaturePacket): void {
  const writer = signature as unknown as SignaturePacketInternals;
  const write = writer.writeHashedSubPackets.bind(signature);
  writer.writeHashedSubPackets = () => {
    const bytes = write();
    // Layout: 2-byte total length, then subpackets of (length, type byte, body) — RFC 4880 §5.2.3.1.
    let offset = 2;
    while (offset < bytes.length) {
      const { headerBytes, length } = readSubpacketLength(bytes, offset);
      const typeOffset = offset + headerBytes;
      if (((bytes[typeOffset] ?? 0) & ~CRITICAL) === KEY_EXPIRATION_SUBPACKET) {
        bytes[typeOffset] = KEY_EXPIRATION_SUBPACKET;
      }
      offset = typeOffset + length;
    }
    return bytes;
  };
}

function readSubpacketLength(bytes: Uint8Array, offset: number): { headerBytes: number; length: number } {
  const first = bytes[offset] ?? 0;
  if (first < 192) return { headerBytes: 1, length: first };
  if (first < 255) return { headerBytes: 2, length: ((first - 192) << 8) + (bytes[offset + 1] ?? 0) + 192 };
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset + 1, 4);
  return { headerBytes: 5, length: view.getUint32(0) };
}

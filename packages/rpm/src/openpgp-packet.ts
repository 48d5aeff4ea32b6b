// Minimal inspection of one binary OpenPGP signature packet (RFC 4880 §4.2, §5.2) to refuse what rpm would reject.
// Written by hand: the field has no maintained JS RPM reader (openpgp.js stays a caller-side, test-only dependency).
import { RpmSigningError } from './errors';

export interface SignaturePacketInfo {
  version: number;
  signatureType: number;
  publicKeyAlgorithm: number;
  hashAlgorithm: number;
}

function bodyRange(p: Uint8Array): { tag: number; start: number; length: number } {
  const first = p[0] ?? 0;
  if ((first & 0x80) === 0) throw new RpmSigningError('The signature is not a binary OpenPGP packet.');
  if (first & 0x40) {
    const l1 = p[1] ?? 0;
    if (l1 < 192) return { tag: first & 0x3f, start: 2, length: l1 };
    if (l1 < 224) return { tag: first & 0x3f, start: 3, length: ((l1 - 192) << 8) + (p[2] ?? 0) + 192 };
    if (l1 === 255) {
      const len = new DataView(p.buffer, p.byteOffset, p.byteLength).getUint32(2);
      return { tag: first & 0x3f, start: 6, length: len };
    }
    throw new RpmSigningError('The signature packet uses partial body lengths.');
  }
  const tag = (first >> 2) & 0x0f;
  const lengthType = first & 3;
  if (lengthType === 3) throw new RpmSigningError('The signature packet has an indeterminate length.');
  const n = 1 << lengthType;
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + (p[1 + i] ?? 0);
  return { tag, start: 1 + n, length };
}

/** Checks `packet` is exactly one v3/v4 signature packet and returns its algorithm fields. */
export function inspectSignaturePacket(packet: Uint8Array): SignaturePacketInfo {
  if (packet.length < 8) throw new RpmSigningError('The signature packet is too short.');
  const { tag, start, length } = bodyRange(packet);
  if (tag !== 2) throw new RpmSigningError(`Expected an OpenPGP signature packet (tag 2), got tag ${tag}.`);
  if (start + length !== packet.length) {
    throw new RpmSigningError('The signature bytes must hold exactly one signature packet.');
  }
  const body = packet.subarray(start);
  const version = body[0] ?? 0;
  if (version === 4) {
    return {
      version,
      signatureType: body[1] ?? -1,
      publicKeyAlgorithm: body[2] ?? 0,
      hashAlgorithm: body[3] ?? 0,
    };
  }
  if (version === 3) {
    return {
      version,
      signatureType: body[2] ?? -1,
      publicKeyAlgorithm: body[15] ?? 0,
      hashAlgorithm: body[16] ?? 0,
    };
  }
  throw new RpmSigningError(
    `OpenPGP signature version ${version} cannot be verified by rpm 4.x; use a v4 key.`,
  );
}

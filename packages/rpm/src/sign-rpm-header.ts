// Adds a header-only OpenPGP signature to an rpm the way `rpmsign --addsign` does (formats.md 3.5):
// only the lead + signature header change, so callers stream the rest. Written by hand: the field has no maintained JS RPM signer.
import { corrupt, RpmFormatError, RpmSigningError } from './errors';
import { parseHeaderBlob } from './header-blob';
import { buildHeader, type HeaderValue, headerValues } from './header-write';
import { inspectSignaturePacket } from './openpgp-packet';
import { LEAD_SIZE, measureRpmHead, paddedTo8 } from './rpm-head';
import { HeaderType, REGION_IMMUTABLE, REGION_SIGNATURES, SigTag } from './tags';

export type RpmKeyAlgorithm = 'rsa' | 'eddsa';

export interface SignedRpmPrefix {
  /** Lead + rebuilt signature header + zero padding to 8 bytes. */
  newPrefix: Uint8Array;
  /** Where the main header starts in the original file: append the original bytes from here on. */
  mainHeaderOffset: number;
}

/** rpm ≤ 4.19 keeps one signature: these are all removed before the new one is added. */
const SIGNATURE_TAGS = new Set<number>([SigTag.DSA, SigTag.RSA, SigTag.PGP, SigTag.GPG, SigTag.PGP5]);
const KEY_ALGORITHMS: Record<RpmKeyAlgorithm, number[]> = { rsa: [1, 3], eddsa: [22, 27] };
const WEAK_HASHES = new Set([1, 2]); // MD5, SHA-1

function checkSignature(packet: Uint8Array, keyAlgorithm: RpmKeyAlgorithm): void {
  const info = inspectSignaturePacket(packet);
  if (info.signatureType !== 0) {
    throw new RpmSigningError(
      `rpm needs a binary-document signature (type 0x00), got 0x${info.signatureType.toString(16)}.`,
    );
  }
  if (!KEY_ALGORITHMS[keyAlgorithm].includes(info.publicKeyAlgorithm)) {
    throw new RpmSigningError(
      `The signature uses public-key algorithm ${info.publicKeyAlgorithm}, not ${keyAlgorithm}.`,
    );
  }
  if (WEAK_HASHES.has(info.hashAlgorithm)) throw new RpmSigningError('The signature uses MD5 or SHA-1.');
}

/** Fits RESERVEDSPACE so the padded signature header keeps its original size when possible. */
function fitReservedSpace(values: HeaderValue[], targetSize: number): Uint8Array {
  let header = buildHeader(REGION_SIGNATURES, values);
  const reserved = values.find((v) => v.tag === SigTag.RESERVEDSPACE);
  if (!reserved) return header;
  for (let attempt = 0; attempt < 3 && paddedTo8(header.length) !== targetSize; attempt++) {
    const count = reserved.count - (paddedTo8(header.length) - targetSize);
    if (count < 1) break;
    reserved.count = count;
    reserved.data = new Uint8Array(count);
    header = buildHeader(REGION_SIGNATURES, values);
  }
  return header;
}

/**
 * Signs the main header found in `head` (the file's bytes from its start through the end of the main
 * header, see measureRpmHead) and returns the new lead + signature header. `sign` receives the exact
 * main-header bytes and returns one raw OpenPGP v4 signature packet of type 0x00.
 */
export async function signRpmHeader(
  head: Uint8Array,
  sign: (mainHeader: Uint8Array) => Promise<Uint8Array>,
  keyAlgorithm: RpmKeyAlgorithm,
): Promise<SignedRpmPrefix> {
  const layout = measureRpmHead(head);
  if (!layout.complete || head.length < layout.headLength) {
    throw corrupt('The bytes given end before the end of the main header.');
  }
  const { mainHeaderOffset, headLength, signatureHeaderLength } = layout;
  let sig: ReturnType<typeof parseHeaderBlob>;
  try {
    sig = parseHeaderBlob(
      head.subarray(LEAD_SIZE, LEAD_SIZE + signatureHeaderLength),
      REGION_SIGNATURES,
      'signature header',
    );
    parseHeaderBlob(head.subarray(mainHeaderOffset, headLength), REGION_IMMUTABLE, 'main header');
  } catch (err) {
    if (err instanceof RpmFormatError) throw err;
    throw corrupt('The rpm headers could not be read (inconsistent sizes or offsets).');
  }

  const signature = await sign(head.slice(mainHeaderOffset, headLength));
  checkSignature(signature, keyAlgorithm);

  const values = headerValues(sig).filter((v) => !SIGNATURE_TAGS.has(v.tag));
  const tag = keyAlgorithm === 'rsa' ? SigTag.RSA : SigTag.DSA;
  values.push({ tag, type: HeaderType.BIN, count: signature.length, data: signature });
  const header = fitReservedSpace(values, mainHeaderOffset - LEAD_SIZE);

  const newPrefix = new Uint8Array(LEAD_SIZE + paddedTo8(header.length));
  newPrefix.set(head.subarray(0, LEAD_SIZE), 0);
  newPrefix.set(header, LEAD_SIZE);
  return { newPrefix, mainHeaderOffset };
}

// Streams an .rpm: validates lead, signature header and main header, then hashes and counts the payload
// in constant memory. Written by hand: the field has no maintained JS RPM reader.
import { createHash } from 'node:crypto';
import { ByteSource } from './byte-source';
import { corrupt, RpmFormatError } from './errors';
import { type HeaderBlob, type HeaderLimits, parseHeaderBlob, readHeaderIntro } from './header-blob';
import { getInt, getString, getStringArray } from './header-values';
import { checkNevra, readChangelogs, readDependencies, readFiles } from './package-fields';
import { checkLead, LEAD_SIZE, paddedTo8 } from './rpm-head';
import { DIGEST_ALGO_SHA256, REGION_IMMUTABLE, REGION_SIGNATURES, SigTag, Tag } from './tags';
import type { RpmPackage } from './types';

async function readHeader(
  src: ByteSource,
  label: string,
  regionTag: number,
  limits: HeaderLimits,
): Promise<HeaderBlob> {
  const intro = await src.read(16);
  const { length } = readHeaderIntro(intro, label, limits);
  const rest = await src.read(length - 16);
  if (rest.length < length - 16) throw corrupt(`The file ends inside the ${label}.`);
  const bytes = new Uint8Array(length);
  bytes.set(intro);
  bytes.set(rest, 16);
  return parseHeaderBlob(bytes, regionTag, label, limits);
}

function required(main: HeaderBlob, tag: number, name: string): string {
  const value = getString(main, tag);
  if (value === undefined || value === '') throw corrupt(`The main header has no ${name}.`);
  return value;
}

/** Checks SHA256HEADER (signature tag 273) when present: catches a damaged main header early. */
function checkHeaderDigest(sig: HeaderBlob, main: HeaderBlob): void {
  const expected = getString(sig, SigTag.SHA256);
  if (expected === undefined) return;
  const actual = createHash('sha256').update(main.bytes).digest('hex');
  if (actual !== expected.toLowerCase()) throw corrupt('The main header does not match its SHA-256 digest.');
}

/**
 * Parses an .rpm from a byte stream. Throws RpmFormatError: `not_an_rpm` when the first bytes are not
 * the rpm lead magic, `corrupt` for any structural problem, truncation or digest mismatch.
 */
export async function parseRpm(
  input: AsyncIterable<Uint8Array>,
  limits: HeaderLimits = {},
): Promise<RpmPackage> {
  const src = new ByteSource(input);
  try {
    return await parseFrom(src, limits);
  } catch (err) {
    await src.close().catch(() => undefined);
    if (err instanceof RpmFormatError) throw err;
    if (err instanceof RangeError || err instanceof TypeError) {
      throw corrupt('The rpm structure could not be read (inconsistent sizes or offsets).');
    }
    throw err;
  }
}

async function parseFrom(src: ByteSource, limits: HeaderLimits): Promise<RpmPackage> {
  checkLead(await src.read(LEAD_SIZE));
  const sig = await readHeader(src, 'signature header', REGION_SIGNATURES, limits);
  const prefixLength = LEAD_SIZE + paddedTo8(sig.bytes.length);
  // rpm ignores the padding's content, so do we.
  await src.read(prefixLength - LEAD_SIZE - sig.bytes.length);
  if (src.position !== prefixLength) throw corrupt('The file ends inside the signature header padding.');
  const main = await readHeader(src, 'main header', REGION_IMMUTABLE, limits);
  const headerEnd = src.position;
  checkHeaderDigest(sig, main);
  const described = describePackage(sig, main, prefixLength, headerEnd);

  const expectedSize = getInt(sig, SigTag.LONGSIZE) ?? getInt(sig, SigTag.SIZE);
  const expectedPayload = expectedSize === undefined ? undefined : expectedSize - main.bytes.length;
  if (expectedPayload !== undefined && expectedPayload < 0) {
    throw corrupt('The signature header SIZE is smaller than the main header.');
  }
  const digestAlgo = getInt(main, Tag.PAYLOADDIGESTALGO);
  const payloadDigest =
    digestAlgo === DIGEST_ALGO_SHA256 ? getStringArray(main, Tag.PAYLOADDIGEST)[0] : undefined;
  const hash = payloadDigest === undefined ? undefined : createHash('sha256');
  const payloadLength = await src.drain((chunk) => {
    hash?.update(chunk);
    if (expectedPayload !== undefined && src.position - headerEnd > expectedPayload) {
      throw corrupt('The file is longer than its signature header SIZE says.');
    }
  });
  if (expectedPayload !== undefined && payloadLength < expectedPayload) {
    throw corrupt(`The file is truncated: the payload has ${payloadLength} of ${expectedPayload} bytes.`);
  }
  if (payloadLength === 0) throw corrupt('The file has no payload after the main header.');
  if (hash && payloadDigest !== undefined && hash.digest('hex') !== payloadDigest.toLowerCase()) {
    throw corrupt('The payload does not match its SHA-256 digest.');
  }

  return { ...described, fileSize: headerEnd + payloadLength };
}

function describePackage(
  sig: HeaderBlob,
  main: HeaderBlob,
  prefixLength: number,
  headerEnd: number,
): Omit<RpmPackage, 'fileSize'> {
  const isSource = !main.byTag.has(Tag.SOURCERPM);
  const epoch = getInt(main, Tag.EPOCH);
  const dep = (n: number, f: number, v: number, what: string) => readDependencies(main, n, f, v, what);
  const nevra = {
    name: required(main, Tag.NAME, 'NAME'),
    version: required(main, Tag.VERSION, 'VERSION'),
    release: required(main, Tag.RELEASE, 'RELEASE'),
    arch: isSource ? 'src' : required(main, Tag.ARCH, 'ARCH'),
  };
  checkNevra(nevra);
  return {
    name: nevra.name,
    ...(epoch === undefined ? {} : { epoch }),
    version: nevra.version,
    release: nevra.release,
    arch: nevra.arch,
    isSource,
    summary: getString(main, Tag.SUMMARY) ?? '',
    description: getString(main, Tag.DESCRIPTION) ?? '',
    license: getString(main, Tag.LICENSE) ?? '',
    url: getString(main, Tag.URL) ?? '',
    group: getString(main, Tag.GROUP) ?? '',
    vendor: getString(main, Tag.VENDOR) ?? '',
    packager: getString(main, Tag.PACKAGER) ?? '',
    buildTime: getInt(main, Tag.BUILDTIME) ?? 0,
    buildHost: getString(main, Tag.BUILDHOST) ?? '',
    sourceRpm: getString(main, Tag.SOURCERPM) ?? '',
    installedSize: getInt(main, Tag.LONGSIZE) ?? getInt(main, Tag.SIZE) ?? 0,
    archiveSize:
      getInt(sig, SigTag.LONGARCHIVESIZE) ??
      getInt(sig, SigTag.PAYLOADSIZE) ??
      getInt(main, Tag.ARCHIVESIZE) ??
      0,
    headerStart: prefixLength,
    headerEnd,
    provides: dep(Tag.PROVIDENAME, Tag.PROVIDEFLAGS, Tag.PROVIDEVERSION, 'PROVIDE'),
    requires: dep(Tag.REQUIRENAME, Tag.REQUIREFLAGS, Tag.REQUIREVERSION, 'REQUIRE'),
    conflicts: dep(Tag.CONFLICTNAME, Tag.CONFLICTFLAGS, Tag.CONFLICTVERSION, 'CONFLICT'),
    obsoletes: dep(Tag.OBSOLETENAME, Tag.OBSOLETEFLAGS, Tag.OBSOLETEVERSION, 'OBSOLETE'),
    recommends: dep(Tag.RECOMMENDNAME, Tag.RECOMMENDFLAGS, Tag.RECOMMENDVERSION, 'RECOMMEND'),
    suggests: dep(Tag.SUGGESTNAME, Tag.SUGGESTFLAGS, Tag.SUGGESTVERSION, 'SUGGEST'),
    supplements: dep(Tag.SUPPLEMENTNAME, Tag.SUPPLEMENTFLAGS, Tag.SUPPLEMENTVERSION, 'SUPPLEMENT'),
    enhances: dep(Tag.ENHANCENAME, Tag.ENHANCEFLAGS, Tag.ENHANCEVERSION, 'ENHANCE'),
    files: readFiles(main),
    changelogs: readChangelogs(main),
    signatureHeader: { indexCount: sig.il, dataLength: sig.dl, prefixLength },
    signatureTags: [SigTag.DSA, SigTag.RSA, SigTag.PGP, SigTag.GPG].filter((t) => sig.byTag.has(t)),
    ...(main.byTag.has(Tag.PAYLOADCOMPRESSOR)
      ? { payloadCompressor: getString(main, Tag.PAYLOADCOMPRESSOR) }
      : {}),
  };
}

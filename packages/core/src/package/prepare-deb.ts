// A .deb is served exactly as uploaded: its Packages stanza is rendered from the upload's digests.
import { buildPackagesStanza, type DebPackage } from '@pallet/deb';
import type { PackageToPrepare, PreparedPackage } from './prepared-package';

export function prepareDeb(
  pkg: Pick<PackageToPrepare, 'metadata' | 'filename'> & {
    blob: Pick<PackageToPrepare['blob'], 'id' | 'size' | 'md5' | 'sha1' | 'sha256' | 'sha512'>;
  },
): PreparedPackage {
  const deb = (pkg.metadata as unknown as { deb: DebPackage }).deb;
  const b = pkg.blob;
  const indexEntry = buildPackagesStanza(deb, {
    filename: pkg.filename ?? '',
    size: Number(b.size),
    md5: b.md5,
    sha1: b.sha1,
    sha256: b.sha256,
    sha512: b.sha512,
  });
  return { indexEntry, servedBlobId: b.id };
}

// What the worker prepares for each uploaded package before it can be published: the bytes clients
// are served and the package's pre-rendered index entries (so a publication only concatenates rows).
import type { Blob, Distribution, Package } from '@pallet/db';

export interface PreparedPackage {
  indexEntry: string;
  indexExtra?: object;
  servedBlobId: string;
}

export type PackageToPrepare = Package & { blob: Blob; distribution: Distribution };

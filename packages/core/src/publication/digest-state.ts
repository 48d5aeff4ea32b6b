// The digests a Release lists (MD5Sum, SHA256, SHA512) as running hash states: an index that grows by
// appending (Packages, and Packages.gz by gzip members) gets its new digests by hashing only the
// appended bytes, from a copy of the state over the bytes before them (Hash.copy()).
import { createHash, type Hash } from 'node:crypto';
import type { Digests } from './publication-file';

const ALGORITHMS = ['md5', 'sha256', 'sha512'] as const;

export class DigestState {
  private constructor(
    private readonly hashes: readonly Hash[],
    /** bytes hashed so far */
    readonly size: number,
  ) {}

  static of(bytes: Uint8Array): DigestState {
    return new DigestState(
      ALGORITHMS.map((a) => createHash(a).update(bytes)),
      bytes.length,
    );
  }

  /** The state over the bytes so far followed by `bytes`; this one is left as it is. */
  extend(bytes: Uint8Array): DigestState {
    return new DigestState(
      this.hashes.map((h) => h.copy().update(bytes)),
      this.size + bytes.length,
    );
  }

  digests(): Digests {
    const [md5, sha256, sha512] = this.hashes.map((h) => h.copy().digest('hex')) as [string, string, string];
    return { md5, sha256, sha512, size: this.size };
  }
}

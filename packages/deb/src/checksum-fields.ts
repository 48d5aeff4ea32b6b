// Argument checks shared by the Packages and Release writers: hex digests of the right length,
// byte sizes, and relative paths that cannot break a line or leave their directory.

export const DIGEST_HEX_LENGTH = { md5: 32, sha1: 40, sha256: 64, sha512: 128 } as const;

export function assertHexDigest(
  value: string,
  algorithm: keyof typeof DIGEST_HEX_LENGTH,
  label: string,
): void {
  if (value.length !== DIGEST_HEX_LENGTH[algorithm] || !/^[0-9a-f]+$/.test(value)) {
    throw new TypeError(
      `${label}: ${algorithm} must be ${DIGEST_HEX_LENGTH[algorithm]} lowercase hex digits`,
    );
  }
}

export function assertByteSize(size: number, label: string): void {
  if (!Number.isSafeInteger(size) || size < 0)
    throw new TypeError(`${label}: size must be a non-negative integer`);
}

/** A slash-separated relative path with no empty, "." or ".." segment: printable ASCII only. */
export function assertRelativePath(path: string, label: string): void {
  const segments = path.split('/');
  const safe = segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..');
  if (!safe || !/^[!-~]+$/.test(path) || path.includes('\\')) {
    throw new TypeError(`${label}: ${JSON.stringify(path)} is not a safe relative path`);
  }
}

// The name of the source package an rpm was built from, from its SOURCERPM tag
// (`glibc-2.34-60.el9_2.7.src.rpm` → `glibc`): name-version-release.src.rpm, version and release without dashes.

export function sourceRpmName(sourceRpm: string): string | undefined {
  return /^(.+)-[^-]+-[^-]+\.(?:no)?src\.rpm$/.exec(sourceRpm)?.[1];
}

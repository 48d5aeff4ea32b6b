import { PackageURL } from 'packageurl-js';
import { describe, expect, it } from 'vitest';
import { cycloneDxErrors, spdxErrors } from '../../../../test/sbom-schemas';
import { buildCycloneDx, buildSpdx, nameBasedUuid, type SbomInput, type SbomPackage } from './build-sbom';
import { packagePurl } from './purl';

describe('packagePurl follows the purl spec deb and rpm types', () => {
  it("reproduces the spec's canonical examples", () => {
    const deb = { format: 'deb' as const, vendor: 'debian', distro: 'debian' };
    expect(
      packagePurl({ ...deb, name: 'curl', version: '7.50.3-1', architecture: 'i386', release: 'jessie' }),
    ).toBe('pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie');
    expect(
      packagePurl({
        ...deb,
        distro: 'any',
        name: 'attr',
        version: '1:2.4.47-2+b1',
        architecture: 'amd64',
        release: 'any',
      }),
    ).toBe('pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64');
    const rpm = { format: 'rpm' as const, vendor: 'fedora', distro: 'fedora', release: '25' };
    expect(packagePurl({ ...rpm, name: 'curl', version: '7.50.3-1.fc25', architecture: 'i386' })).toBe(
      'pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386&distro=fedora-25',
    );
    expect(packagePurl({ ...rpm, name: 'centerim', version: '1:4.22.10-1.el6', architecture: 'i686' })).toBe(
      'pkg:rpm/fedora/centerim@4.22.10-1.el6?arch=i686&distro=fedora-25&epoch=1',
    );
  });

  it('lowercases deb names but not rpm names, and encodes what a purl may not carry', () => {
    const purl = packagePurl({
      format: 'rpm',
      vendor: 'Acme',
      name: 'Zeta-tool',
      version: '2:0.9~rc1^post-1.el9',
      architecture: 'x86_64',
      distro: 'el',
      release: '9',
      repositoryUrl: 'https://pkgs.example.com/dl/acme/tools/rpm/el/9',
    });
    expect(purl).toBe(
      'pkg:rpm/acme/Zeta-tool@0.9~rc1%5Epost-1.el9?arch=x86_64&distro=el-9&epoch=2&repository_url=https:%2F%2Fpkgs.example.com%2Fdl%2Facme%2Ftools%2Frpm%2Fel%2F9',
    );
    const parsed = PackageURL.fromString(purl);
    expect(parsed).toMatchObject({
      type: 'rpm',
      namespace: 'acme',
      name: 'Zeta-tool',
      version: '0.9~rc1^post-1.el9',
    });
    expect(parsed.qualifiers).toEqual({
      arch: 'x86_64',
      distro: 'el-9',
      epoch: '2',
      repository_url: 'https://pkgs.example.com/dl/acme/tools/rpm/el/9',
    });
    expect(
      packagePurl({
        format: 'deb',
        vendor: 'acme',
        name: 'LibFoo',
        version: '1.0',
        architecture: 'all',
        distro: 'ubuntu',
        release: 'noble',
      }),
    ).toBe('pkg:deb/acme/libfoo@1.0?arch=all&distro=noble');
  });
});

function packages(count: number): SbomPackage[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `pkg${i}`,
    name: `tool-${i}`,
    version: `1:${i}.0~rc1+dfsg-1`,
    architecture: i % 2 ? 'amd64' : 'all',
    filename: `pool/bookworm/main/t/tool-${i}/tool-${i}_${i}.0~rc1+dfsg-1_amd64.deb`,
    sha256: 'a'.repeat(64),
    sha512: 'b'.repeat(128),
    size: 1000 + i,
    licenses:
      i % 3 === 0
        ? []
        : i % 3 === 1
          ? ['GPL-2.0-or-later OR Artistic-1.0', 'MIT']
          : ['LicenseRef-BSD-variant'],
  }));
}

const INPUT: SbomInput = {
  appUrl: 'https://pallet.example.com',
  org: 'acme',
  repository: 'tools',
  format: 'deb',
  distribution: { name: 'debian/bookworm', distro: 'debian', release: 'bookworm' },
  downloadRoot: 'https://pallet.example.com/dl/acme/tools/deb/debian',
  publication: {
    id: 'pub1',
    publishedAt: new Date('2026-12-05T10:11:12.345Z'),
    indexPath: 'dists/bookworm/InRelease',
    indexSha256: 'c'.repeat(64),
  },
  packages: packages(30),
};

describe('buildCycloneDx', () => {
  it('is valid CycloneDX 1.6 with one component per package, purls, hashes, licenses and the index digest', () => {
    const doc = buildCycloneDx(INPUT);
    expect(cycloneDxErrors(doc)).toEqual([]);
    expect(doc.components).toHaveLength(30);
    expect(doc.metadata.component.hashes).toEqual([{ alg: 'SHA-256', content: 'c'.repeat(64) }]);
    expect(doc.components[1]).toMatchObject({
      name: 'tool-1',
      version: '1:1.0~rc1+dfsg-1',
      purl: `pkg:deb/acme/tool-1@1:1.0~rc1%2Bdfsg-1?arch=amd64&distro=bookworm&repository_url=${encodeURIComponent(INPUT.downloadRoot).replace(/%3A/g, ':')}`,
      hashes: [
        { alg: 'SHA-256', content: 'a'.repeat(64) },
        { alg: 'SHA-512', content: 'b'.repeat(128) },
      ],
      licenses: [{ expression: '(GPL-2.0-or-later OR Artistic-1.0) AND MIT' }],
    });
    expect(doc.components[0].licenses).toBeUndefined();
    expect(doc.serialNumber).toBe(buildCycloneDx(INPUT).serialNumber);
  });

  it('fails the schema when a hash is not hex (the validation can fail)', () => {
    const doc = buildCycloneDx({
      ...INPUT,
      packages: [{ ...(INPUT.packages[0] as SbomPackage), sha256: 'xyz' }],
    });
    expect(cycloneDxErrors(doc).join('\n')).toMatch(/hashes/);
  });
});

describe('buildSpdx', () => {
  it('is valid SPDX 2.3 with a package per package, purl refs, checksums and declared licenses', () => {
    const doc = buildSpdx(INPUT);
    expect(spdxErrors(doc)).toEqual([]);
    expect(doc.packages).toHaveLength(31);
    expect(doc.creationInfo.created).toBe('2026-12-05T10:11:12Z');
    expect(doc.packages[0]).toMatchObject({
      SPDXID: 'SPDXRef-Publication',
      checksums: [{ algorithm: 'SHA256', checksumValue: 'c'.repeat(64) }],
    });
    expect(doc.packages[3]).toMatchObject({
      name: 'tool-2',
      licenseDeclared: 'LicenseRef-BSD-variant',
      externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl' }],
      checksums: [
        { algorithm: 'SHA256', checksumValue: 'a'.repeat(64) },
        { algorithm: 'SHA512', checksumValue: 'b'.repeat(128) },
      ],
    });
    expect(doc.packages[1].licenseDeclared).toBe('NOASSERTION');
    expect(doc.hasExtractedLicensingInfos).toEqual([
      expect.objectContaining({ licenseId: 'LicenseRef-BSD-variant' }),
    ]);
    expect(doc.relationships).toHaveLength(31);
    const ids = doc.packages.map((p: { SPDXID: string }) => p.SPDXID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('fails the schema when a required field is missing (the validation can fail)', () => {
    const doc = buildSpdx(INPUT);
    delete doc.packages[2].downloadLocation;
    expect(spdxErrors(doc).join('\n')).toMatch(/downloadLocation/);
  });

  it('makes name-based version-5 UUIDs', () => {
    expect(nameBasedUuid('x')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(nameBasedUuid('x')).not.toBe(nameBasedUuid('y'));
  });
});

// SBOM documents of a publication: CycloneDX 1.6 JSON and SPDX 2.3 JSON, one component (package) per
// package the publication serves, with its purl, the SHA-256 and SHA-512 of the file clients download,
// its declared licenses, and the publication's own digest (the SHA-256 of its signed top-level index,
// InRelease or repomd.xml). Pure: plain data in, plain objects out, the same document for the same input.
import { createHash } from 'node:crypto';
import { allOf } from '../package/spdx-license';
import { purlBuilder } from './purl';

export interface SbomPackage {
  id: string;
  name: string;
  /** as stored: deb `[epoch:]upstream[-revision]`, rpm `[epoch:]version-release` */
  version: string;
  architecture: string;
  /** path below the distribution's download root */
  filename: string;
  sha256: string;
  sha512: string;
  size: number;
  /** SPDX license expressions (Package.licenses) */
  licenses: readonly string[];
}

export interface SbomInput {
  /** the Pallet instance's public URL (APP_URL), for the SPDX document namespace */
  appUrl: string;
  org: string;
  repository: string;
  format: 'deb' | 'rpm';
  distribution: { name: string; distro: string; release: string };
  /** the distribution's download root: apt's URIs (without `dists/…`), dnf's baseurl */
  downloadRoot: string;
  publication: {
    id: string;
    publishedAt: Date;
    /** path of the signed top-level index below the download root, and its SHA-256 */
    indexPath: string;
    indexSha256: string | null;
  };
  packages: readonly SbomPackage[];
  toolVersion?: string;
}

/** A name-based UUID (RFC 9562 version 5), so a publication's document keeps its serial number. */
export function nameBasedUuid(name: string): string {
  const hash = createHash('sha1').update(`pallet-sbom:${name}`).digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function subjectName(input: SbomInput): string {
  return `${input.org}/${input.repository} ${input.distribution.name}`;
}

/** What every package of a document shares, prepared once: purls, download URLs, license expressions. */
function helpers(input: SbomInput) {
  const purl = purlBuilder({
    format: input.format,
    vendor: input.org,
    distro: input.distribution.distro,
    release: input.distribution.release,
    repositoryUrl: input.downloadRoot,
  });
  const expressions = new Map<string, string | undefined>();
  return {
    purl,
    fileUrl: (path: string) =>
      `${input.downloadRoot}/${SAFE_PATH.test(path) ? path : path.split('/').map(encodeURIComponent).join('/')}`,
    /** the package's declared licenses as one expression (packages share few distinct lists) */
    license(licenses: readonly string[]): string | undefined {
      const key = licenses.join('\n');
      if (!expressions.has(key)) expressions.set(key, allOf(licenses));
      return expressions.get(key);
    },
  };
}

const SAFE_PATH = /^[A-Za-z0-9._~/-]*$/;

// biome-ignore lint/suspicious/noExplicitAny: the documents are plain JSON built field by field
type Json = Record<string, any>;

export function buildCycloneDx(input: SbomInput): Json {
  const pub = input.publication;
  const h = helpers(input);
  const subject: Json = {
    type: 'data',
    'bom-ref': `publication-${pub.id}`,
    name: subjectName(input),
    version: pub.id,
    description: `Publication ${pub.id} of ${subjectName(input)}: its signed index ${pub.indexPath}`,
    ...(pub.indexSha256 ? { hashes: [{ alg: 'SHA-256', content: pub.indexSha256 }] } : {}),
    externalReferences: [{ type: 'distribution', url: h.fileUrl(pub.indexPath) }],
    properties: [
      { name: 'pallet:publication:id', value: pub.id },
      { name: 'pallet:publication:index', value: pub.indexPath },
      ...(pub.indexSha256 ? [{ name: 'pallet:publication:index:sha256', value: pub.indexSha256 }] : []),
    ],
  };
  const components = input.packages.map((p) => {
    const license = h.license(p.licenses);
    return {
      type: 'library',
      'bom-ref': `package-${p.id}`,
      supplier: { name: input.org },
      name: p.name,
      version: p.version,
      purl: h.purl(p),
      hashes: [
        { alg: 'SHA-256', content: p.sha256 },
        { alg: 'SHA-512', content: p.sha512 },
      ],
      ...(license ? { licenses: [{ expression: license }] } : {}),
      externalReferences: [{ type: 'distribution', url: h.fileUrl(p.filename) }],
      properties: [
        { name: 'pallet:filename', value: p.filename },
        { name: 'pallet:size', value: String(p.size) },
      ],
    };
  });
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${nameBasedUuid(`${pub.id}:cyclonedx`)}`,
    version: 1,
    metadata: {
      timestamp: pub.publishedAt.toISOString(),
      tools: {
        components: [
          {
            type: 'application',
            name: 'Pallet',
            ...(input.toolVersion ? { version: input.toolVersion } : {}),
          },
        ],
      },
      component: subject,
      supplier: { name: input.org },
    },
    components,
    dependencies: [{ ref: subject['bom-ref'], dependsOn: components.map((c) => c['bom-ref']) }],
  };
}

/** SPDX dates are `YYYY-MM-DDThh:mm:ssZ`, without fractions of a second. */
function spdxDate(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

const LICENSE_REF = /LicenseRef-[A-Za-z0-9.-]+/g;

export function buildSpdx(input: SbomInput): Json {
  const pub = input.publication;
  const h = helpers(input);
  const refs = new Set<string>();
  const packages: Json[] = input.packages.map((p) => {
    const license = h.license(p.licenses);
    for (const ref of license?.match(LICENSE_REF) ?? []) refs.add(ref);
    return {
      SPDXID: `SPDXRef-Package-${p.id}`,
      name: p.name,
      versionInfo: p.version,
      packageFileName: p.filename.split('/').pop() ?? p.filename,
      supplier: `Organization: ${input.org}`,
      downloadLocation: h.fileUrl(p.filename),
      filesAnalyzed: false,
      checksums: [
        { algorithm: 'SHA256', checksumValue: p.sha256 },
        { algorithm: 'SHA512', checksumValue: p.sha512 },
      ],
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: license ?? 'NOASSERTION',
      copyrightText: 'NOASSERTION',
      primaryPackagePurpose: 'INSTALL',
      externalRefs: [
        { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: h.purl(p) },
      ],
    };
  });
  const subject: Json = {
    SPDXID: 'SPDXRef-Publication',
    name: subjectName(input),
    versionInfo: pub.id,
    supplier: `Organization: ${input.org}`,
    downloadLocation: input.downloadRoot,
    filesAnalyzed: false,
    ...(pub.indexSha256 ? { checksums: [{ algorithm: 'SHA256', checksumValue: pub.indexSha256 }] } : {}),
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: 'NOASSERTION',
    copyrightText: 'NOASSERTION',
    primaryPackagePurpose: 'OTHER',
    comment: `Publication ${pub.id}; the checksum is the SHA-256 of its signed index ${pub.indexPath}.`,
  };
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: `${subjectName(input)} publication ${pub.id}`,
    documentNamespace: `${input.appUrl}/spdx/${input.org}/${input.repository}/publications/${pub.id}-${nameBasedUuid(`${pub.id}:spdx`)}`,
    creationInfo: {
      created: spdxDate(pub.publishedAt),
      creators: [
        `Tool: Pallet${input.toolVersion ? `-${input.toolVersion}` : ''}`,
        `Organization: ${input.org}`,
      ],
    },
    packages: [subject, ...packages],
    relationships: [
      {
        spdxElementId: 'SPDXRef-DOCUMENT',
        relationshipType: 'DESCRIBES',
        relatedSpdxElement: 'SPDXRef-Publication',
      },
      ...packages.map((p) => ({
        spdxElementId: 'SPDXRef-Publication',
        relationshipType: 'CONTAINS',
        relatedSpdxElement: p.SPDXID,
      })),
    ],
    ...(refs.size > 0
      ? {
          hasExtractedLicensingInfos: [...refs].sort().map((licenseId) => ({
            licenseId,
            name: licenseId.slice('LicenseRef-'.length),
            extractedText: `A license the package declares as "${licenseId.slice('LicenseRef-'.length)}", which has no SPDX identifier; Pallet does not keep license texts.`,
          })),
        }
      : {}),
  };
}

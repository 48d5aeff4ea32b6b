// Package URLs (purl) for the packages Pallet serves, after the purl specification's `deb` and `rpm`
// type definitions: `pkg:deb/<vendor>/<name>@<version>?arch=…&distro=…` (name lowercased, the full
// Debian version with its epoch) and `pkg:rpm/<vendor>/<name>@<version>-<release>?arch=…&distro=…&epoch=…`
// (name as is, the epoch as a qualifier). The vendor (namespace) of a package a Pallet org publishes is
// the org's slug; `repository_url` names the distribution's download root, since there is no default
// repository for either type.

/** Percent-encodes all but the characters a canonical purl keeps as they are (A-Z a-z 0-9 . - _ ~ :). */
export function purlEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9.\-_~:]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export interface PurlInput {
  format: 'deb' | 'rpm';
  /** the org slug */
  vendor: string;
  name: string;
  /** as Pallet stores it: deb `[epoch:]upstream[-revision]`, rpm `[epoch:]version-release` */
  version: string;
  architecture: string;
  /** Pallet's distribution: `debian` + `bookworm`, `el` + `9`, `any` + `any` */
  distro: string;
  release: string;
  /** the distribution's download root (apt's URIs / dnf's baseurl) */
  repositoryUrl?: string;
}

export function packagePurl(p: PurlInput): string {
  const qualifiers: [string, string][] = [['arch', p.architecture]];
  let version = p.version;
  if (p.format === 'rpm') {
    const colon = version.indexOf(':');
    if (colon > 0) {
      qualifiers.push(['epoch', version.slice(0, colon)]);
      version = version.slice(colon + 1);
    }
  }
  // apt distributions are named by their codename (`distro=bookworm`), rpm ones as `<vendor>-<version>`,
  // as in the purl spec's examples; a distribution-agnostic repository (`any/any`) names none.
  if (p.distro !== 'any')
    qualifiers.push(['distro', p.format === 'deb' ? p.release : `${p.distro}-${p.release}`]);
  if (p.repositoryUrl) qualifiers.push(['repository_url', p.repositoryUrl]);
  qualifiers.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const name = p.format === 'deb' ? p.name.toLowerCase() : p.name;
  const query = qualifiers
    .filter(([, value]) => value !== '')
    .map(([key, value]) => `${key}=${purlEncode(value)}`)
    .join('&');
  return `pkg:${p.format}/${purlEncode(p.vendor.toLowerCase())}/${purlEncode(name)}@${purlEncode(version)}${query ? `?${query}` : ''}`;
}

// Package URLs (purl) for the packages Pallet serves, after the purl specification's `deb` and `rpm`
// type definitions: `pkg:deb/<vendor>/<name>@<version>?arch=…&distro=…` (name lowercased, the full
// Debian version with its epoch) and `pkg:rpm/<vendor>/<name>@<version>-<release>?arch=…&distro=…&epoch=…`
// (name as is, the epoch as a qualifier). The vendor (namespace) of a package a Pallet org publishes is
// the org's slug; `repository_url` names the distribution's download root, since there is no default
// repository for either type.

const KEPT = /^[A-Za-z0-9.\-_~:]*$/;

/** Percent-encodes all but the characters a canonical purl keeps as they are (A-Z a-z 0-9 . - _ ~ :). */
export function purlEncode(value: string): string {
  if (KEPT.test(value)) return value;
  // encodeURIComponent keeps A-Z a-z 0-9 - _ . ! ~ * ' ( ): of these a purl keeps only - _ . ~, and it keeps ':'.
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%3A/g, ':');
}

export interface PurlDistribution {
  format: 'deb' | 'rpm';
  /** the org slug */
  vendor: string;
  /** Pallet's distribution: `debian` + `bookworm`, `el` + `9`, `any` + `any` */
  distro: string;
  release: string;
  /** the distribution's download root (apt's URIs / dnf's baseurl) */
  repositoryUrl?: string;
}

export interface PurlPackage {
  name: string;
  /** as Pallet stores it: deb `[epoch:]upstream[-revision]`, rpm `[epoch:]version-release` */
  version: string;
  architecture: string;
}

export type PurlInput = PurlDistribution & PurlPackage;

/** A purl maker for the packages of one distribution (what they share is encoded once). */
export function purlBuilder(d: PurlDistribution): (p: PurlPackage) => string {
  const prefix = `pkg:${d.format}/${purlEncode(d.vendor.toLowerCase())}/`;
  // apt distributions are named by their codename (`distro=bookworm`), rpm ones as `<vendor>-<version>`,
  // as in the purl spec's examples; a distribution-agnostic repository (`any/any`) names none.
  const distro = d.distro === 'any' ? '' : d.format === 'deb' ? d.release : `${d.distro}-${d.release}`;
  const distroQualifier = distro ? `&distro=${purlEncode(distro)}` : '';
  const repositoryQualifier = d.repositoryUrl ? `&repository_url=${purlEncode(d.repositoryUrl)}` : '';
  return (p) => {
    let version = p.version;
    let epoch = '';
    if (d.format === 'rpm') {
      const colon = version.indexOf(':');
      if (colon > 0) {
        epoch = `&epoch=${purlEncode(version.slice(0, colon))}`;
        version = version.slice(colon + 1);
      }
    }
    const name = d.format === 'deb' ? p.name.toLowerCase() : p.name;
    // Qualifiers in lexicographic key order: arch, distro, epoch, repository_url.
    return `${prefix}${purlEncode(name)}@${purlEncode(version)}?arch=${purlEncode(p.architecture)}${distroQualifier}${epoch}${repositoryQualifier}`;
  };
}

export function packagePurl(p: PurlInput): string {
  return purlBuilder(p)(p);
}

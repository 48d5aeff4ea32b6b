// Which OSV ecosystems speak for a Pallet distribution (`debian/bookworm` → `Debian:12`), and how each
// ecosystem orders versions (dpkg for Debian and Ubuntu, rpmvercmp for the rest). The table is in
// docs/vulnerability-scanning.md.
import { compareDebVersions } from '@pallet/deb';
import { compareEvr } from '@pallet/rpm';

const DEBIAN: Record<string, string> = {
  stretch: '9',
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  forky: '14',
};
const UBUNTU: Record<string, string> = {
  xenial: '16.04:LTS',
  bionic: '18.04:LTS',
  focal: '20.04:LTS',
  jammy: '22.04:LTS',
  noble: '24.04:LTS',
  oracular: '24.10',
  plucky: '25.04',
  questing: '25.10',
};

export interface EcosystemMatch {
  /** ecosystems named exactly */
  exact: string[];
  /** ecosystems starting with one of these (Red Hat spells a product and stream after the release) */
  prefixes: string[];
}

const NONE: EcosystemMatch = { exact: [], prefixes: [] };

function major(release: string): string | undefined {
  return /^(\d+)(?:\.\d+)*$/.exec(release)?.[1];
}

/** The OSV ecosystems whose advisories apply to packages of a distribution (`distro/release`). */
export function ecosystemsForDistribution(distro: string, release: string): EcosystemMatch {
  switch (distro) {
    case 'debian': {
      const n = DEBIAN[release] ?? (/^\d+$/.test(release) ? release : undefined);
      return n ? { exact: [`Debian:${n}`], prefixes: [] } : NONE;
    }
    case 'ubuntu': {
      const v =
        UBUNTU[release] ?? Object.values(UBUNTU).find((x) => x === release || x.split(':')[0] === release);
      return v ? { exact: [`Ubuntu:${v}`], prefixes: [] } : NONE;
    }
    case 'el':
    case 'rhel':
    case 'centos':
    case 'alma':
    case 'almalinux':
    case 'rocky': {
      const m = major(release);
      if (!m) return NONE;
      const redHat = [`Red Hat:enterprise_linux:${m}:`];
      if (distro === 'alma' || distro === 'almalinux') return { exact: [`AlmaLinux:${m}`], prefixes: redHat };
      if (distro === 'rocky') return { exact: [`Rocky Linux:${m}`], prefixes: redHat };
      return { exact: [`AlmaLinux:${m}`, `Rocky Linux:${m}`], prefixes: redHat };
    }
    case 'opensuse': {
      if (release === 'tumbleweed') return { exact: ['openSUSE:Tumbleweed'], prefixes: [] };
      const leap = /^(?:leap-)?(\d+\.\d+)$/.exec(release)?.[1];
      return leap ? { exact: [`openSUSE:Leap ${leap}`], prefixes: [] } : NONE;
    }
    case 'sles': {
      // sles/15, sles/15.5 and sles/15-sp5 all name a service pack the way SUSE's ecosystems do.
      const m = /^(\d+)(?:[.-](?:sp)?(\d+))?$/.exec(release);
      if (!m) return NONE;
      const product = m[2] && m[2] !== '0' ? `${m[1]} SP${m[2]}` : m[1];
      return {
        exact: [
          `SUSE:Linux Enterprise Server ${product}`,
          `SUSE:Linux Enterprise Module for Basesystem ${product}`,
        ],
        prefixes: [],
      };
    }
    default:
      return NONE;
  }
}

/** Splits an rpm `[epoch:]version[-release]` string. */
export function parseEvr(evr: string): { epoch: number; version: string; release: string } {
  const colon = evr.indexOf(':');
  const epoch = colon >= 0 ? Number.parseInt(evr.slice(0, colon), 10) || 0 : 0;
  const rest = colon >= 0 ? evr.slice(colon + 1) : evr;
  const dash = rest.lastIndexOf('-');
  return dash >= 0
    ? { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) }
    : { epoch, version: rest, release: '' };
}

export type VersionOrder = (a: string, b: string) => number;

/**
 * rpm's order for `[epoch:]version-release` strings. A side without a release matches any release, as rpm
 * compares `1.0` against `1.0-3` (rpmdsCompare).
 */
export function compareRpmVersions(a: string, b: string): number {
  const x = parseEvr(a);
  const y = parseEvr(b);
  if (x.release === '' || y.release === '') {
    return compareEvr({ epoch: x.epoch, version: x.version }, { epoch: y.epoch, version: y.version });
  }
  return compareEvr(x, y);
}

export function versionOrderFor(ecosystem: string): VersionOrder {
  const family = ecosystem.split(':')[0];
  return family === 'Debian' || family === 'Ubuntu' ? compareDebVersions : compareRpmVersions;
}

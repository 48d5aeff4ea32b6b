// `distro/release` names (`debian/bookworm`, `el/9`, `any/any`) and which package formats each distro takes.
import { InvalidRequest } from '../errors/domain-errors';

export type Format = 'deb' | 'rpm';

const DEB_DISTROS = new Set([
  'debian',
  'ubuntu',
  'raspbian',
  'linuxmint',
  'elementaryos',
  'pop',
  'kali',
  'devuan',
]);
const RPM_DISTROS = new Set([
  'el',
  'rhel',
  'centos',
  'rocky',
  'alma',
  'almalinux',
  'ol',
  'fedora',
  'opensuse',
  'sles',
  'amzn',
]);

const PART_RE = /^[a-z0-9][a-z0-9.+_-]{0,62}$/;

export interface DistributionName {
  name: string;
  distro: string;
  release: string;
}

export function parseDistributionName(raw: string): DistributionName {
  const [distro, release, ...rest] = raw.split('/');
  if (
    !distro ||
    !release ||
    rest.length > 0 ||
    !PART_RE.test(distro) ||
    !PART_RE.test(release) ||
    release.includes('..')
  ) {
    throw new InvalidRequest(
      'distribution must look like "debian/bookworm" or "el/9".',
      'invalid_distribution',
    );
  }
  return { name: `${distro}/${release}`, distro, release };
}

export function distroAccepts(distro: string, format: Format): boolean {
  if (distro === 'any') return true;
  return format === 'deb' ? DEB_DISTROS.has(distro) : RPM_DISTROS.has(distro);
}

export function isKnownDistro(distro: string): boolean {
  return distro === 'any' || DEB_DISTROS.has(distro) || RPM_DISTROS.has(distro);
}

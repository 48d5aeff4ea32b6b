// Debian version syntax and ordering, a port of dpkg's lib/dpkg/version.c and parsehelp.c
// (deb-version(7)); written by hand because no maintained npm package matches dpkg exactly.

export interface DebVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

const MAX_EPOCH = 2147483647; // dpkg stores the epoch in an int

/** Splits like dpkg: epoch before the first ':', revision after the last '-'. Does not validate. */
export function splitDebVersion(version: string): DebVersion {
  const trimmed = version.trim();
  const colon = trimmed.indexOf(':');
  const epochText = colon >= 0 ? trimmed.slice(0, colon) : '';
  const rest = colon >= 0 ? trimmed.slice(colon + 1) : trimmed;
  const dash = rest.lastIndexOf('-');
  return {
    epoch: /^\d+$/.test(epochText) ? Number(epochText) : 0,
    upstream: dash >= 0 ? rest.slice(0, dash) : rest,
    revision: dash >= 0 ? rest.slice(dash + 1) : '',
  };
}

/** Why a version string is invalid per dpkg, or undefined when it is valid. */
export function explainInvalidDebVersion(version: string): string | undefined {
  if (version === '') return 'version string is empty';
  if (/\s/.test(version)) return 'version string has embedded spaces';
  const colon = version.indexOf(':');
  if (colon >= 0) {
    const epoch = version.slice(0, colon);
    if (epoch === '') return 'nothing before colon in version number';
    if (!/^\d+$/.test(epoch)) return 'epoch in version is not number';
    if (Number(epoch) > MAX_EPOCH) return 'epoch in version is too big';
  }
  const rest = colon >= 0 ? version.slice(colon + 1) : version;
  const dash = rest.lastIndexOf('-');
  const upstream = dash >= 0 ? rest.slice(0, dash) : rest;
  const revision = dash >= 0 ? rest.slice(dash + 1) : undefined;
  if (upstream === '') return 'version number is empty';
  if (revision === '') return 'revision number is empty';
  if (!/^[0-9]/.test(upstream)) return 'version number does not start with digit';
  if (!/^[A-Za-z0-9.+~:-]+$/.test(upstream)) return 'invalid character in version number';
  if (revision !== undefined && !/^[A-Za-z0-9.+~]+$/.test(revision)) {
    return 'invalid character in revision number';
  }
  return undefined;
}

export function isValidDebVersion(version: string): boolean {
  return explainInvalidDebVersion(version) === undefined;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

// dpkg's order(): '~' sorts before everything, even the end of the string; letters before
// all other non-digits. NaN (past the end) and digits weigh 0.
function orderOf(code: number): number {
  if (Number.isNaN(code) || isDigit(code)) return 0;
  if (isLetter(code)) return code;
  if (code === 126) return -1;
  return code + 256;
}

/** dpkg's verrevcmp: compares one upstream or revision part. */
function compareVersionPart(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const diff = orderOf(a.charCodeAt(i)) - orderOf(b.charCodeAt(j));
      if (diff !== 0) return diff;
      i++;
      j++;
    }
    while (a.charCodeAt(i) === 48) i++;
    while (b.charCodeAt(j) === 48) j++;
    let firstDiff = 0;
    while (isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(j))) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a.charCodeAt(i))) return 1;
    if (isDigit(b.charCodeAt(j))) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

/** Orders two Debian versions exactly like `dpkg --compare-versions`: negative, 0 or positive. */
export function compareDebVersions(a: string, b: string): number {
  const left = splitDebVersion(a);
  const right = splitDebVersion(b);
  if (left.epoch !== right.epoch) return left.epoch > right.epoch ? 1 : -1;
  const upstream = compareVersionPart(left.upstream, right.upstream);
  if (upstream !== 0) return Math.sign(upstream);
  return Math.sign(compareVersionPart(left.revision, right.revision));
}

/** The version as it appears in pool file names: without its epoch. */
export function versionWithoutEpoch(version: string): string {
  const colon = version.indexOf(':');
  return colon >= 0 ? version.slice(colon + 1) : version;
}

// Turns a validated main header into dependency lists, the file list and changelogs, checking the
// parallel arrays agree. Written by hand: the field has no maintained JS RPM reader.
import { corrupt } from './errors';
import type { HeaderBlob } from './header-blob';
import { getIntArray, getStringArray } from './header-values';
import { FILE_GHOST, MODE_DIR, MODE_TYPE_MASK, Sense, Tag } from './tags';
import type { DependencyFlags, RpmChangelog, RpmDependency, RpmFile } from './types';

const PRE_BITS = Sense.PREREQ | Sense.SCRIPT_PRE | Sense.SCRIPT_POST | Sense.PRETRANS | Sense.POSTTRANS;

export function senseToFlags(sense: number): DependencyFlags | undefined {
  switch (sense & 0xf) {
    case 2:
      return 'LT';
    case 4:
      return 'GT';
    case 8:
      return 'EQ';
    case 10:
      return 'LE';
    case 12:
      return 'GE';
    default:
      return undefined;
  }
}

/** Splits `[E:]V[-R]`: epoch "0" when absent, release after the last `-`. */
export function splitEvr(evr: string): { epoch: string; version: string; release?: string } {
  const colon = evr.indexOf(':');
  let epoch = '0';
  let rest = evr;
  if (colon > 0 && /^\d+$/.test(evr.slice(0, colon))) {
    epoch = evr.slice(0, colon);
    rest = evr.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  if (dash < 0) return { epoch, version: rest };
  return { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) };
}

function sameLength(blob: HeaderBlob, what: string, lengths: number[]): void {
  const first = lengths[0] ?? 0;
  if (lengths.some((n) => n !== first)) {
    throw corrupt(`The ${blob.label} ${what} arrays have different lengths (${lengths.join(', ')}).`);
  }
}

export function readDependencies(
  blob: HeaderBlob,
  nameTag: number,
  flagsTag: number,
  versionTag: number,
  what: string,
): RpmDependency[] {
  const names = getStringArray(blob, nameTag);
  if (names.length === 0) return [];
  const flags = getIntArray(blob, flagsTag);
  const versions = getStringArray(blob, versionTag);
  sameLength(blob, what, [names.length, flags.length || names.length, versions.length || names.length]);
  return names.map((name, i) => {
    const sense = flags[i] ?? 0;
    const dep: RpmDependency = { name, flags: senseToFlags(sense), senseFlags: sense };
    const evr = versions[i] ?? '';
    if (evr !== '') Object.assign(dep, splitEvr(evr));
    if (nameTag === Tag.REQUIRENAME) dep.pre = (sense & PRE_BITS) !== 0;
    return dep;
  });
}

export function readFiles(blob: HeaderBlob): RpmFile[] {
  const basenames = getStringArray(blob, Tag.BASENAMES);
  let paths: string[];
  if (basenames.length > 0) {
    const dirnames = getStringArray(blob, Tag.DIRNAMES);
    const dirindexes = getIntArray(blob, Tag.DIRINDEXES);
    sameLength(blob, 'BASENAMES/DIRINDEXES', [basenames.length, dirindexes.length]);
    paths = basenames.map((base, i) => {
      const dir = dirnames[dirindexes[i] ?? -1];
      if (dir === undefined) {
        throw corrupt(`The ${blob.label} file ${i} has a directory index outside DIRNAMES.`);
      }
      return dir + base;
    });
  } else {
    paths = getStringArray(blob, Tag.OLDFILENAMES);
  }
  const modes = getIntArray(blob, Tag.FILEMODES);
  const fileFlags = getIntArray(blob, Tag.FILEFLAGS);
  sameLength(blob, 'file', [paths.length, modes.length || paths.length, fileFlags.length || paths.length]);
  return paths.map((path, i) => {
    let type: RpmFile['type'] = 'file';
    if (((modes[i] ?? 0) & MODE_TYPE_MASK) === MODE_DIR) type = 'dir';
    else if ((fileFlags[i] ?? 0) & FILE_GHOST) type = 'ghost';
    return { path, type };
  });
}

export function readChangelogs(blob: HeaderBlob): RpmChangelog[] {
  const times = getIntArray(blob, Tag.CHANGELOGTIME);
  const names = getStringArray(blob, Tag.CHANGELOGNAME);
  const texts = getStringArray(blob, Tag.CHANGELOGTEXT);
  sameLength(blob, 'changelog', [times.length, names.length, texts.length]);
  return times.map((date, i) => ({ author: names[i] ?? '', date, text: texts[i] ?? '' }));
}

// rpmbuild's rules (build/parsePreamble.c, rpmCharCheck): Name may hold ASCII letters, digits and
// `.-_+%{}`, Version and Release letters, digits and `._+%{}~^`, neither the sequence "..".
// Pallet is stricter where the value becomes a repository path (the rpm's location href):
// no `%{}` (a `%` would be read as a percent-escape by dnf) and a Name that starts with a
// letter, digit or `_` (a leading `.` or `-` makes a `.`/`-` path segment or an option).
const RPM_NAME = /^[A-Za-z0-9_][A-Za-z0-9._+-]*$/;
const RPM_VERSION_OR_RELEASE = /^[A-Za-z0-9._+~^]+$/;
// Architectures are rpm's arch names (x86_64, noarch, armv7hl, ppc64le, src, nosrc...).
const RPM_ARCH = /^[A-Za-z0-9_]+$/;
const MAX_NEVRA_PART = 255;

function describeValue(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

function checkPart(value: string, what: string, pattern: RegExp, allowed: string): void {
  if (value.length > MAX_NEVRA_PART)
    throw corrupt(`The package ${what} is longer than ${MAX_NEVRA_PART} characters.`);
  if (!pattern.test(value) || value.includes('..')) {
    throw corrupt(`The package ${what} ${describeValue(value)} is not valid: it may hold only ${allowed}.`);
  }
}

/** Refuses a NAME, VERSION, RELEASE or ARCH that rpmbuild would not write or that is unsafe in a path. */
export function checkNevra(nevra: { name: string; version: string; release: string; arch: string }): void {
  checkPart(nevra.name, 'NAME', RPM_NAME, 'letters, digits and ._+- (not first, and no "..")');
  checkPart(nevra.version, 'VERSION', RPM_VERSION_OR_RELEASE, 'letters, digits and ._+~^ (no "..")');
  checkPart(nevra.release, 'RELEASE', RPM_VERSION_OR_RELEASE, 'letters, digits and ._+~^ (no "..")');
  checkPart(nevra.arch, 'ARCH', RPM_ARCH, 'letters, digits and _');
}

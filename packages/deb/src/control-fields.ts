// Validates a binary package's control stanza (deb-control(5), Policy ch. 5) and extracts the
// metadata Pallet indexes: name, version, architecture, source, installed size.
import { type DebField, getField } from './deb822';
import { corrupt } from './errors';
import { explainInvalidDebVersion } from './version';

export const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/;
export const ARCHITECTURE = /^[a-z0-9][a-z0-9-]*$/;
const SOURCE_FIELD = /^(\S+)(?:\s+\(([^()]*)\))?$/;

export interface ControlMetadata {
  name: string;
  version: string;
  architecture: string;
  /** The full Description value (synopsis, then continuation lines with their leading space). */
  description?: string;
  /** Source package name, without the "(version)" part. */
  source?: string;
  /** Source version when the Source field carries one (binNMUs, renamed binaries). */
  sourceVersion?: string;
  installedSize?: number;
}

export function isValidArchitecture(architecture: string): boolean {
  return architecture === 'all' || (ARCHITECTURE.test(architecture) && architecture !== 'any');
}

function requireField(fields: readonly DebField[], name: string): string {
  const value = getField(fields, name);
  if (value === undefined || value.trim() === '') throw corrupt(`The control file lacks the ${name} field.`);
  return value;
}

function parseSourceField(value: string): Pick<ControlMetadata, 'source' | 'sourceVersion'> {
  const match = SOURCE_FIELD.exec(value);
  const source = match?.[1];
  const sourceVersion = match?.[2]?.trim();
  if (!source || !PACKAGE_NAME.test(source)) {
    throw corrupt(
      `The control file's Source field ${JSON.stringify(value)} is not a valid source package name.`,
    );
  }
  if (sourceVersion !== undefined && explainInvalidDebVersion(sourceVersion) !== undefined) {
    throw corrupt(`The control file's Source field ${JSON.stringify(value)} has an invalid version.`);
  }
  return sourceVersion === undefined ? { source } : { source, sourceVersion };
}

// Relationship fields as dpkg parses them (lib/dpkg/fields.c f_dependency): comma-separated
// groups, `|` alternatives only where dpkg allows them, each `name[:arch] [(op version)]`.
// Architecture restrictions `[...]` and build profiles `<...>` belong to source packages only.
const RELATIONSHIP_FIELDS: Record<string, { alternatives: boolean }> = {
  depends: { alternatives: true },
  'pre-depends': { alternatives: true },
  recommends: { alternatives: true },
  suggests: { alternatives: true },
  enhances: { alternatives: true },
  breaks: { alternatives: false },
  conflicts: { alternatives: false },
  replaces: { alternatives: false },
  provides: { alternatives: false },
};
const RELATION =
  /^([A-Za-z0-9][A-Za-z0-9+._-]*)(?::([A-Za-z0-9][A-Za-z0-9-]*))?\s*(?:\(\s*(<<|<=|>=|>>|=|<|>)\s*([^\s()]+)\s*\))?$/;
const MULTI_ARCH = new Set(['no', 'same', 'foreign', 'allowed']);
const BOOLEAN_FIELDS = ['Essential', 'Protected'];

/** Why a relationship field's value would not parse in dpkg, or undefined when it does. */
function explainInvalidRelationships(value: string, alternatives: boolean): string | undefined {
  for (const group of value.split(',')) {
    const choices = group.split('|');
    if (choices.length > 1 && !alternatives) return 'alternatives ("|") are not allowed there';
    for (const choice of choices) {
      const relation = RELATION.exec(choice.trim());
      if (!relation) return `${JSON.stringify(choice.trim())} is not "name[:arch] [(op version)]"`;
      const version = relation[4];
      if (version !== undefined && explainInvalidDebVersion(version) !== undefined) {
        return `the version ${JSON.stringify(version)} is invalid`;
      }
    }
  }
  return undefined;
}

function checkDpkgParsedFields(fields: readonly DebField[], architecture: string): void {
  for (const [name, value] of fields) {
    const relationship = RELATIONSHIP_FIELDS[name.toLowerCase()];
    if (!relationship) continue;
    const problem = explainInvalidRelationships(value, relationship.alternatives);
    if (problem) throw corrupt(`The control file's ${name} field is not valid: ${problem}.`);
  }
  const multiArch = getField(fields, 'Multi-Arch');
  if (multiArch !== undefined) {
    if (!MULTI_ARCH.has(multiArch.toLowerCase())) {
      throw corrupt(
        `The control file's Multi-Arch ${JSON.stringify(multiArch)} is not no, same, foreign or allowed.`,
      );
    }
    if (multiArch.toLowerCase() === 'same' && architecture === 'all') {
      throw corrupt('The control file says Multi-Arch: same for an Architecture: all package.');
    }
  }
  for (const name of BOOLEAN_FIELDS) {
    const flag = getField(fields, name);
    if (flag !== undefined && !/^(yes|no)$/i.test(flag)) {
      throw corrupt(`The control file's ${name} ${JSON.stringify(flag)} is not yes or no.`);
    }
  }
}

/** Checks the required fields of a control stanza and returns the metadata they carry. */
export function readControlMetadata(fields: readonly DebField[]): ControlMetadata {
  const name = requireField(fields, 'Package');
  if (!PACKAGE_NAME.test(name)) {
    throw corrupt(`The control file's Package ${JSON.stringify(name)} is not a valid package name.`);
  }
  const version = requireField(fields, 'Version');
  const versionProblem = explainInvalidDebVersion(version);
  if (versionProblem !== undefined) {
    throw corrupt(`The control file's Version ${JSON.stringify(version)} is not valid: ${versionProblem}.`);
  }
  const architecture = requireField(fields, 'Architecture');
  if (!isValidArchitecture(architecture)) {
    throw corrupt(
      `The control file's Architecture ${JSON.stringify(architecture)} is not a single architecture.`,
    );
  }
  checkDpkgParsedFields(fields, architecture);
  const metadata: ControlMetadata = { name, version, architecture };
  const installedSize = getField(fields, 'Installed-Size');
  if (installedSize !== undefined) {
    if (!/^\d+$/.test(installedSize) || !Number.isSafeInteger(Number(installedSize))) {
      throw corrupt(`The control file's Installed-Size ${JSON.stringify(installedSize)} is not an integer.`);
    }
    metadata.installedSize = Number(installedSize);
  }
  const source = getField(fields, 'Source');
  if (source !== undefined) Object.assign(metadata, parseSourceField(source));
  const description = getField(fields, 'Description');
  if (description !== undefined) metadata.description = description;
  return metadata;
}

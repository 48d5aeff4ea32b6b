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

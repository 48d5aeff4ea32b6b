// Validators for the official SBOM schemas: CycloneDX 1.6 (shipped by @cyclonedx/cyclonedx-library,
// with the SPDX license-id and JSF schemas it refers to) and SPDX 2.3 (vendored, see fixtures/spdx).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';

const require = createRequire(import.meta.url);
const CDX_DIR = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
const CDX_BASE = 'http://cyclonedx.org/schema/';

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

function newAjv(): Ajv {
  // Both schemas are draft-07; strict mode is off because they use annotations ajv does not know.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  // Formats of the CycloneDX schema that ajv-formats does not define.
  ajv.addFormat('iri-reference', (value: string) => {
    try {
      new URL(value, 'http://base.invalid/');
      return true;
    } catch {
      return false;
    }
  });
  ajv.addFormat('idn-email', /^[^\s@]+@[^\s@]+$/);
  return ajv;
}

let cdx: ReturnType<Ajv['compile']> | undefined;
let spdx: ReturnType<Ajv['compile']> | undefined;

function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** Schema errors of a CycloneDX 1.6 JSON document (empty when valid). */
export function cycloneDxErrors(doc: unknown): string[] {
  if (!cdx) {
    const ajv = newAjv();
    // The bom schema refers to its neighbours by their SNAPSHOT file names.
    for (const [file, id] of [
      ['spdx.SNAPSHOT.schema.json', `${CDX_BASE}spdx.SNAPSHOT.schema.json`],
      ['jsf-0.82.SNAPSHOT.schema.json', `${CDX_BASE}jsf-0.82.SNAPSHOT.schema.json`],
    ] as const) {
      ajv.addSchema({ ...readJson(join(CDX_DIR, file)), $id: id });
    }
    cdx = ajv.compile(readJson(join(CDX_DIR, 'bom-1.6.SNAPSHOT.schema.json')));
  }
  return cdx(doc) ? [] : describeErrors(cdx.errors);
}

/** Schema errors of an SPDX 2.3 JSON document (empty when valid). */
export function spdxErrors(doc: unknown): string[] {
  if (!spdx) {
    spdx = newAjv().compile(readJson(join(import.meta.dirname, 'fixtures', 'spdx', 'spdx-2.3.schema.json')));
  }
  return spdx(doc) ? [] : describeErrors(spdx.errors);
}

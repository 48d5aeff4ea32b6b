// docs/openapi.json documents exactly the API: every method exported by a route file under
// app/api/v1 is an operation of the document, and every operation of the document is implemented.
// (The document is JSON rather than YAML because no YAML parser is installed; JSON is valid YAML 1.2.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiRouteOperations } from '../../../test/route-inventory';

const API_DIR = join(import.meta.dirname, 'app', 'api', 'v1');
const DOC_FILE = join(import.meta.dirname, '..', '..', '..', 'docs', 'openapi.json');
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const METHOD_RE = new RegExp(`^(${METHODS.join('|')})$`);

interface Operation {
  operationId?: string;
  responses?: Record<string, unknown>;
}
type PathItem = Record<string, unknown>;
interface OpenApiDoc {
  openapi: string;
  servers?: { url: string }[];
  paths: Record<string, PathItem>;
  components?: Record<string, unknown>;
}

/** `orgs/[org]/repos` → `/orgs/{org}/repos` (catch-all segments are not used under api/v1). */
function toOpenApiPath(route: string): string {
  const segments = route === '' ? [] : route.split('/');
  return `/${segments
    .map((s) => {
      if (s.startsWith('[...') || s.startsWith('[[')) throw new Error(`catch-all route segment ${s}`);
      return s.replace(/^\[(.+)\]$/, '{$1}');
    })
    .join('/')}`;
}

/** `METHOD /path` for every HTTP method exported by a route file. */
function routeOperations(): string[] {
  return apiRouteOperations(API_DIR)
    .map(({ method, route }) => `${method} ${toOpenApiPath(route)}`)
    .sort();
}

const doc = JSON.parse(readFileSync(DOC_FILE, 'utf8')) as OpenApiDoc;

function documentedOperations(): string[] {
  const found: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const key of Object.keys(item)) {
      if (METHOD_RE.test(key.toUpperCase())) found.push(`${key.toUpperCase()} ${path}`);
    }
  }
  return found.sort();
}

function operations(): [string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([key]) => METHOD_RE.test(key.toUpperCase()))
      .map(([key, op]): [string, Operation] => [`${key.toUpperCase()} ${path}`, op as Operation]),
  );
}

/** Every local `$ref` in the document, with where it occurs. */
function refs(node: unknown, at: string, out: [string, string][] = []): [string, string][] {
  if (Array.isArray(node)) {
    node.forEach((n, i) => {
      refs(n, `${at}/${i}`, out);
    });
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push([at, v]);
      else refs(v, `${at}/${k}`, out);
    }
  }
  return out;
}

function resolvePointer(pointer: string): unknown {
  if (!pointer.startsWith('#/')) return undefined;
  let node: unknown = doc;
  for (const raw of pointer.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

describe('docs/openapi.json', () => {
  it('is an OpenAPI 3.1 document served under {APP_URL}/api/v1', () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.servers?.map((s) => s.url)).toContain('{APP_URL}/api/v1');
  });

  it('documents every route file and method under app/api/v1, and nothing else', () => {
    const implemented = routeOperations();
    const documented = documentedOperations();
    expect(implemented.length).toBeGreaterThan(0);
    const missing = implemented.filter((op) => !documented.includes(op));
    const unimplemented = documented.filter((op) => !implemented.includes(op));
    expect(missing, 'implemented but not in docs/openapi.json').toEqual([]);
    expect(unimplemented, 'in docs/openapi.json but no route exports it').toEqual([]);
  });

  it('gives every operation a unique operationId and at least one success response', () => {
    const ids = new Set<string>();
    for (const [name, op] of operations()) {
      expect(op.operationId, name).toBeTypeOf('string');
      expect(ids.has(op.operationId!), `${name}: duplicate operationId ${op.operationId}`).toBe(false);
      ids.add(op.operationId!);
      const statuses = Object.keys(op.responses ?? {});
      expect(
        statuses.some((s) => /^2\d\d$/.test(s)),
        `${name} has no 2xx response`,
      ).toBe(true);
    }
  });

  it('declares every path parameter', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      const declared = ((item.parameters ?? []) as unknown[])
        .map((p) => {
          const ref = (p as { $ref?: string }).$ref;
          return (ref ? resolvePointer(ref) : p) as { name?: string; in?: string } | undefined;
        })
        .filter((p) => p?.in === 'path')
        .map((p) => p!.name)
        .sort();
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      expect(declared, path).toEqual(inPath);
    }
  });

  it('resolves every $ref', () => {
    const broken = refs(doc, '#')
      .filter(([, target]) => resolvePointer(target) === undefined)
      .map(([at, target]) => `${at} → ${target}`);
    expect(broken).toEqual([]);
  });
});

// Reads the REST API's route files and the HTTP methods each exports, so that coverage tests (the
// isolation matrix, the OpenAPI document) fail when a new endpoint is added without them.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export const API_ROUTES_DIR = join(import.meta.dirname, '..', 'apps', 'web', 'src', 'app', 'api', 'v1');
const METHOD_RE = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/;

/** `{ method, route }` for every method exported by a route file; route is the folder path, e.g. `orgs/[org]`. */
export function apiRouteOperations(apiDir = API_ROUTES_DIR): { method: string; route: string }[] {
  const found: { method: string; route: string }[] = [];
  for (const entry of readdirSync(apiDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name !== 'route.ts') continue;
    const route = relative(apiDir, entry.parentPath).split(sep).join('/');
    const src = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    const methods = new Set<string>();
    for (const m of src.matchAll(
      /export\s+(?:const|let|async\s+function|function)\s+(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\b/g,
    )) {
      methods.add(m[1]!);
    }
    for (const m of src.matchAll(/export\s*\{([^}]*)\}/g)) {
      for (const part of m[1]!.split(',')) {
        const name = part
          .trim()
          .split(/\s+as\s+/)
          .pop();
        if (name && METHOD_RE.test(name)) methods.add(name);
      }
    }
    if (methods.size === 0) throw new Error(`${route}/route.ts exports no HTTP method`);
    for (const method of methods) found.push({ method, route });
  }
  return found;
}

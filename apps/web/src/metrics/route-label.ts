// The `route` label of pallet_http_requests_total: the route pattern a request hit
// (`/api/v1/orgs/[org]/repos/[repo]/packages`), never its raw path, so that a label's values stay as
// few as the app's routes. Patterns come from the Next.js build's app-path-routes-manifest.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Matcher {
  pattern: string;
  regex: RegExp;
  dynamicSegments: number;
}

function toMatcher(pattern: string): Matcher {
  let dynamicSegments = 0;
  const source = pattern
    .split('/')
    .map((segment) => {
      if (/^\[\[\.\.\..+\]\]$/.test(segment)) {
        dynamicSegments += 100;
        return '?.*';
      }
      if (/^\[\.\.\..+\]$/.test(segment)) {
        dynamicSegments += 100;
        return '.+';
      }
      if (/^\[.+\]$/.test(segment)) {
        dynamicSegments++;
        return '[^/]+';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { pattern, regex: new RegExp(`^${source}/?$`), dynamicSegments };
}

/** Reads the build's route list; without a build (dev) every Next.js request is labelled `next`. */
export function loadRouteLabeler(nextDir: string): (path: string) => string {
  let matchers: Matcher[] = [];
  try {
    const manifest = JSON.parse(
      readFileSync(join(nextDir, 'app-path-routes-manifest.json'), 'utf8'),
    ) as Record<string, string>;
    matchers = [...new Set(Object.values(manifest))]
      .map(toMatcher)
      // Static segments win over dynamic ones (`/orgs/new` before `/orgs/[org]`), as in Next.js.
      .sort((a, b) => a.dynamicSegments - b.dynamicSegments);
  } catch {}
  return (rawPath) => {
    const path = rawPath.split('?')[0] ?? '/';
    if (path === '/dl' || path.startsWith('/dl/')) return '/dl';
    if (path.startsWith('/_next/')) return '/_next';
    if (path.startsWith('/_pallet/'))
      return path.startsWith('/_pallet/edge-auth') ? '/_pallet/edge-auth' : 'other';
    if (path === '/metrics') return '/metrics';
    if (matchers.length === 0) return 'next';
    return matchers.find((m) => m.regex.test(path))?.pattern ?? 'unmatched';
  };
}

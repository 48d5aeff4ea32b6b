// Expands FILE arguments that are glob patterns (`dist/*.deb`, `out/**/*.rpm`), for shells and CI steps
// that pass them quoted. `*` and `?` stay within one path segment, `**` spans directories, `[...]` is a
// character class. Written here because Node 20 has no stable fs.glob and the CLI ships no dependencies.
import { type Dirent, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './exit-codes';

const MAGIC = /[*?[]/;

function segmentRegex(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end < 0) out += '\\[';
      else {
        const body = segment
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return out;
}

export function globToRegExp(pattern: string): RegExp {
  const parts = pattern.split('/');
  let source = '';
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    if (part === '**') source += last ? '.*' : '(?:[^/]+/)*';
    else source += segmentRegex(part) + (last ? '' : '/');
  });
  return new RegExp(`^${source}$`);
}

function walk(dir: string, prefix: string, depth: number, out: string[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    const path = join(dir, e.name);
    const isDir =
      e.isDirectory() || (e.isSymbolicLink() && statSync(path, { throwIfNoEntry: false })?.isDirectory());
    if (!isDir) out.push(rel);
    else if (depth > 1) walk(path, rel, depth - 1, out);
  }
}

/** Literal paths pass through; a pattern becomes its sorted matches; a pattern matching nothing is an error. */
export function expandFiles(args: string[]): string[] {
  const files: string[] = [];
  for (const arg of args) {
    if (!MAGIC.test(arg) || existsSync(arg)) {
      files.push(arg);
      continue;
    }
    const segments = arg.split('/');
    const firstMagic = segments.findIndex((s) => MAGIC.test(s));
    const base = segments.slice(0, firstMagic).join('/') || (arg.startsWith('/') ? '/' : '');
    const rest = segments.slice(firstMagic).join('/');
    const depth = rest.split('/').includes('**') ? Number.POSITIVE_INFINITY : segments.length - firstMagic;
    const candidates: string[] = [];
    walk(base || '.', '', depth, candidates);
    const re = globToRegExp(rest);
    const matches = candidates
      .filter((c) => re.test(c))
      .map((c) => (base ? `${base.replace(/\/$/, '')}/${c}` : c))
      .sort();
    if (matches.length === 0) throw new UsageError(`no file matches ${arg}`);
    files.push(...matches);
  }
  return [...new Set(files)];
}

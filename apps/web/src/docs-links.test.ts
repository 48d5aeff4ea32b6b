// The docs ship with the code: README.md links only to files of the repository (that exist), and no
// document under docs/ links out of the repository by a relative path (as a link to a contract file
// beside the clone did).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** Markdown link and image targets, without their #fragment. */
function linkTargets(text: string): string[] {
  return [...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] as string);
}

describe('README.md', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('links only to files inside the repository, all of which exist', () => {
    const targets = linkTargets(readme).filter((t) => !t.startsWith('#'));
    expect(targets.length).toBeGreaterThan(3);
    for (const target of targets) {
      expect(target, 'an absolute URL').not.toMatch(/^[a-z][a-z0-9+.-]*:/i);
      const path = resolve(ROOT, target.split('#')[0] as string);
      expect(relative(ROOT, path).startsWith('..'), `${target} leaves the repository`).toBe(false);
      expect(existsSync(path), `${target} does not exist`).toBe(true);
    }
  });

  it('names no file outside the repository (such as ../shared/)', () => {
    expect(readme).not.toMatch(/\.\.\/shared\//);
  });
});

describe('docs/', () => {
  it('links nothing outside the repository by a relative path', () => {
    const docs = join(ROOT, 'docs');
    for (const name of readdirSync(docs).filter((n) => n.endsWith('.md') || n.endsWith('.json'))) {
      const text = readFileSync(join(docs, name), 'utf8');
      expect(text, `${name} names ../shared/`).not.toMatch(/\.\.\/shared\//);
      if (!name.endsWith('.md')) continue;
      for (const target of linkTargets(text).filter((t) => !/^([a-z][a-z0-9+.-]*:|#)/i.test(t))) {
        const path = resolve(dirname(join(docs, name)), target.split('#')[0] as string);
        expect(relative(ROOT, path).startsWith('..'), `${name}: ${target} leaves the repository`).toBe(false);
      }
    }
  });
});

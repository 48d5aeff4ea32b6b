// Reads the license declarations of a machine-readable debian/copyright file (DEP-5,
// https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/). Lenient by design: a copyright
// file never makes a package unacceptable, so anything that is not DEP-5 yields undefined.

/** Where a .deb carries its copyright file, relative to the extraction root. */
export function copyrightPath(packageName: string): string {
  return `usr/share/doc/${packageName}/copyright`;
}

/** Largest copyright file read; larger ones (a few huge source packages) are not examined. */
export const MAX_COPYRIGHT_BYTES = 1024 * 1024;

const FORMAT_URI = /copyright-format\/1\.0|\/dep5|DEP-?5/i;

function paragraphs(text: string): Map<string, string>[] {
  const result: Map<string, string>[] = [];
  let current: Map<string, string> | undefined;
  let lastKey: string | undefined;
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim() === '') {
      current = undefined;
      lastKey = undefined;
      continue;
    }
    if (line.startsWith('#')) continue;
    if (/^[ \t]/.test(line)) {
      if (current && lastKey) current.set(lastKey, `${current.get(lastKey)}\n${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    if (!current) {
      current = new Map();
      result.push(current);
    }
    lastKey = line.slice(0, colon).trim().toLowerCase();
    current.set(lastKey, line.slice(colon + 1).trim());
  }
  return result;
}

/**
 * The license expressions (DEP-5 short-name syntax, as written: `GPL-2+ or Artistic-1.0`) of the
 * header paragraph and every `Files` paragraph, distinct and in file order; undefined when the
 * text is not a machine-readable copyright file.
 */
export function parseCopyrightLicenses(text: string): string[] | undefined {
  const all = paragraphs(text);
  const header = all[0];
  const format = header?.get('format') ?? header?.get('format-specification');
  if (!header || !format || !FORMAT_URI.test(format)) return undefined;
  const licenses: string[] = [];
  for (const [index, paragraph] of all.entries()) {
    // Stand-alone License paragraphs only hold the text of a license named elsewhere.
    if (index > 0 && !paragraph.has('files')) continue;
    const first = (paragraph.get('license') ?? '').split('\n')[0]?.trim() ?? '';
    if (first !== '' && !licenses.includes(first)) licenses.push(first);
  }
  return licenses;
}

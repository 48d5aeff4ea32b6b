// One `<package>` element of filelists.xml and of other.xml (formats.md 2.4), as createrepo_c writes them.
// Written by hand: the field has no maintained JS repodata writer.
import type { PackageFileInfo } from './primary-xml';
import { fileElement, versionElement } from './primary-xml';
import type { RpmChangelog, RpmPackage } from './types';
import { xmlAttr, xmlText } from './xml-text';

function packageOpen(pkg: RpmPackage, pkgid: string): string {
  return `<package pkgid="${xmlAttr(pkgid)}" name="${xmlAttr(pkg.name)}" arch="${xmlAttr(pkg.arch)}">\n  ${versionElement(pkg)}\n`;
}

export function buildFilelistsEntry(pkg: RpmPackage, file: Pick<PackageFileInfo, 'pkgid'>): string {
  let out = packageOpen(pkg, file.pkgid);
  for (const f of pkg.files) out += fileElement(f, '  ');
  return `${out}</package>\n`;
}

/** Trailing spaces removed, but never the first character (createrepo_c's loop stops at index 1). */
function trimAuthor(author: string): string {
  let end = author.length;
  while (end > 1 && author[end - 1] === ' ') end--;
  return author.slice(0, end);
}

/**
 * createrepo_c's changelog selection: the newest `limit` header entries (the header lists newest
 * first), written oldest first, trailing spaces trimmed from the author, and a newer entry whose
 * timestamp equals an older one's bumped by +1 s (cascading) so dates stay distinct.
 */
export function selectChangelogs(changelogs: RpmChangelog[], limit = 10): RpmChangelog[] {
  const out: RpmChangelog[] = [];
  let lastTime: number | undefined;
  for (const entry of changelogs.slice(0, Math.max(0, limit))) {
    const current = { author: trimAuthor(entry.author), date: entry.date, text: entry.text };
    out.unshift(current);
    if (lastTime === entry.date) {
      let time = entry.date;
      for (let i = 1; i < out.length; i++) {
        const newer = out[i];
        if (!newer || newer.date !== time) break;
        newer.date++;
        time++;
      }
    } else {
      lastTime = entry.date;
    }
  }
  return out;
}

export function buildOtherEntry(
  pkg: RpmPackage,
  file: Pick<PackageFileInfo, 'pkgid'>,
  options: { changelogLimit?: number } = {},
): string {
  let out = packageOpen(pkg, file.pkgid);
  for (const c of selectChangelogs(pkg.changelogs, options.changelogLimit ?? 10)) {
    out += `  <changelog author="${xmlAttr(c.author)}" date="${c.date}">${xmlText(c.text)}</changelog>\n`;
  }
  return `${out}</package>\n`;
}

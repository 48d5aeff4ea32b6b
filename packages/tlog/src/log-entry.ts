// The bytes of one log entry: a signed index file a publication switched in, as short UTF-8 lines.
// A private repository's entry carries a commitment (a keyed hash) in place of its names.

export const ENTRY_HEADER = 'pallet-log-entry v1';

export interface LogEntry {
  /** hex SHA-256 of the served index file */
  sha256: string;
  /** `InRelease`, `Release` or `repomd.xml` */
  file: string;
  format: 'deb' | 'rpm';
  /** public repositories: `org/repo` and the distribution name */
  repository?: string;
  distribution?: string;
  /** private repositories: hex keyed hash over the names instead */
  commitment?: string;
  /** when the publication switched in (second precision) */
  publishedAt: Date;
  /** OpenPGP fingerprints of the keys that signed the file */
  keyFingerprints: string[];
}

export class LogEntryError extends Error {
  override readonly name = 'LogEntryError';
}

const TOKEN = /^[\x21-\x7e]+$/;

function field(name: string, value: string): string {
  if (!TOKEN.test(value))
    throw new LogEntryError(`Log entry field ${name} must be printable ASCII without spaces`);
  return `${name} ${value}\n`;
}

export function formatLogEntry(e: LogEntry): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(e.sha256)) throw new LogEntryError('sha256 must be 64 lowercase hex digits');
  if ((e.commitment === undefined) === (e.repository === undefined))
    throw new LogEntryError('An entry names its repository or commits to it, not both');
  let text = `${ENTRY_HEADER}\n`;
  text += field('sha256', e.sha256);
  text += field('file', e.file);
  text += field('format', e.format);
  if (e.repository !== undefined) {
    text += field('repository', e.repository);
    text += field('distribution', e.distribution ?? '');
  } else text += field('commitment', e.commitment!);
  text += field('published', e.publishedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  for (const fpr of e.keyFingerprints) text += field('key', fpr);
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

export function parseLogEntry(bytes: Uint8Array): LogEntry {
  const text = Buffer.from(bytes).toString('utf8');
  const lines = text.split('\n');
  if (lines[0] !== ENTRY_HEADER || lines.pop() !== '') throw new LogEntryError('Not a Pallet log entry');
  const values = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const space = line.indexOf(' ');
    if (space <= 0) throw new LogEntryError('Malformed log entry line');
    const key = line.slice(0, space);
    values.set(key, [...(values.get(key) ?? []), line.slice(space + 1)]);
  }
  const one = (k: string) => values.get(k)?.[0];
  const sha256 = one('sha256');
  const format = one('format');
  const published = one('published');
  if (!sha256 || !/^[0-9a-f]{64}$/.test(sha256)) throw new LogEntryError('Log entry has no sha256');
  if (format !== 'deb' && format !== 'rpm') throw new LogEntryError('Log entry has no format');
  const publishedAt = new Date(published ?? '');
  if (Number.isNaN(publishedAt.getTime())) throw new LogEntryError('Log entry has no publication time');
  return {
    sha256,
    file: one('file') ?? '',
    format,
    repository: one('repository'),
    distribution: one('distribution'),
    commitment: one('commitment'),
    publishedAt,
    keyFingerprints: values.get('key') ?? [],
  };
}

// Reads OSV records from where the distributions publish them: a zip archive (`all.zip` of an ecosystem
// on osv-vulnerabilities.storage.googleapis.com), a directory of `.json` files, or an http(s) URL of a zip.
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

export interface OsvFile {
  /** where the record came from, for messages and the advisory's `source` */
  origin: string;
  text: string;
}

/** One record is a few KiB; anything this large is not an OSV record. */
const MAX_RECORD_BYTES = 8 * 1024 * 1024;

async function* readDirectory(dir: string): AsyncGenerator<OsvFile> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  for (const file of files) {
    if ((await stat(file)).size > MAX_RECORD_BYTES) continue;
    yield { origin: file, text: await readFile(file, 'utf8') };
  }
}

async function* readZip(path: string, label: string): AsyncGenerator<OsvFile> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true });
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/') || !entry.fileName.endsWith('.json')) continue;
      if (entry.uncompressedSize > MAX_RECORD_BYTES) continue;
      const stream = await zip.openReadStreamPromise(entry);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      yield { origin: `${label}!${entry.fileName}`, text: Buffer.concat(chunks).toString('utf8') };
    }
  } finally {
    zip.close();
  }
}

async function* readUrl(url: string): AsyncGenerator<OsvFile> {
  const dir = await mkdtemp(join(tmpdir(), 'pallet-osv-'));
  try {
    const res = await fetch(url, { redirect: 'follow' });
    if (!res.ok || !res.body) throw new Error(`${url} answered ${res.status}`);
    const file = join(dir, 'records.zip');
    await pipeline(
      Readable.fromWeb(res.body as import('node:stream/web').ReadableStream),
      createWriteStream(file),
    );
    yield* readZip(file, url);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Every `.json` record of a zip file, a directory or an http(s) URL of a zip. */
export async function* readOsvSource(source: string): AsyncGenerator<OsvFile> {
  if (/^https?:\/\//.test(source)) {
    yield* readUrl(source);
    return;
  }
  const info = await stat(source);
  if (info.isDirectory()) yield* readDirectory(source);
  else yield* readZip(source, source);
}

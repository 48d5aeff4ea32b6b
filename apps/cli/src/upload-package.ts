// Uploads one package file as multipart/form-data streamed from disk (never held in memory), counting
// the bytes as they go out for the progress bar. Each retry reopens the file and sends it again.
import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { type PackageInfo, readApiResponse } from '@pallet/api-client';
import type { Progress } from './progress';
import { type RetryPolicy, withRetries } from './retry';

export interface UploadTarget {
  server: string;
  token: string;
  org: string;
  repo: string;
}

export interface UploadFields {
  distribution: string;
  component?: string;
  overwrite?: boolean;
}

function fieldPart(boundary: string, name: string, value: string): string {
  return `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
}

export async function uploadPackageFile(
  target: UploadTarget,
  file: string,
  fields: UploadFields,
  progress: Progress,
  retry: RetryPolicy,
): Promise<{ status: number; data: PackageInfo }> {
  const size = statSync(file).size;
  const boundary = `pallet-${randomBytes(12).toString('hex')}`;
  const name = basename(file).replace(/["\r\n]/g, '_');
  let head = fieldPart(boundary, 'distribution', fields.distribution);
  if (fields.component) head += fieldPart(boundary, 'component', fields.component);
  if (fields.overwrite) head += fieldPart(boundary, 'overwrite', 'true');
  head += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const length = Buffer.byteLength(head) + size + Buffer.byteLength(tail);

  async function* body(): AsyncGenerator<Buffer> {
    yield Buffer.from(head);
    for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) {
      progress.advance((chunk as Buffer).length);
      yield chunk as Buffer;
    }
    yield Buffer.from(tail);
  }

  const url = `${target.server}/api/v1/orgs/${encodeURIComponent(target.org)}/repos/${encodeURIComponent(target.repo)}/packages`;
  const res = await withRetries(() => {
    progress.start(basename(file), size);
    return fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${target.token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(length),
      },
      body: Readable.toWeb(Readable.from(body())) as ReadableStream<Uint8Array>,
      duplex: 'half',
    } as RequestInit);
  }, retry);
  return readApiResponse<PackageInfo>(res);
}

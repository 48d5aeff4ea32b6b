// Turns a resolved download into an HTTP response: cache policy per file kind, ETag/Last-Modified,
// conditional requests, single byte ranges, HSTS over HTTPS, and Basic auth challenges.
import { Readable } from 'node:stream';
import type { CoreContext, Download } from '@pallet/core';
import { NotFound } from '@pallet/core';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const INDEX = 'public, max-age=60, must-revalidate';

function parseRange(header: string | null, size: number): { start: number; end: number } | 'invalid' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'invalid';
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'invalid';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return 'invalid';
  return { start, end };
}

export async function serveDownload(core: CoreContext, request: Request, d: Download): Promise<Response> {
  const etag = `"${d.etag}"`;
  const headers = new Headers({
    'content-type': d.contentType,
    etag,
    'last-modified': d.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
    'x-content-type-options': 'nosniff',
  });
  const cacheable = d.kind === 'stored' && d.immutable ? IMMUTABLE : INDEX;
  headers.set('cache-control', d.isPrivate ? cacheable.replace('public', 'private') : cacheable);
  if (core.config.appUrl.startsWith('https://') || request.headers.get('x-forwarded-proto') === 'https') {
    headers.set('strict-transport-security', 'max-age=63072000; includeSubDomains');
  }
  const inm = request.headers.get('if-none-match');
  const ims = request.headers.get('if-modified-since');
  if (
    inm?.split(',').some((t) => t.trim() === etag || t.trim() === '*') ||
    (!inm && ims && Date.parse(ims) >= Math.floor(d.lastModified.getTime() / 1000) * 1000)
  ) {
    return new Response(null, { status: 304, headers });
  }
  const size = d.kind === 'stored' ? d.size : d.body.length;
  const ifRange = request.headers.get('if-range');
  const range = !ifRange || ifRange === etag ? parseRange(request.headers.get('range'), size) : null;
  if (range === 'invalid') {
    headers.set('content-range', `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  const status = range ? 206 : 200;
  if (range) headers.set('content-range', `bytes ${range.start}-${range.end}/${size}`);
  headers.set('content-length', String(range ? range.end - range.start + 1 : size));
  if (request.method === 'HEAD') return new Response(null, { status, headers });
  if (d.kind === 'inline') {
    const body = range ? d.body.subarray(range.start, range.end + 1) : d.body;
    return new Response(body as BodyInit, { status, headers });
  }
  const obj = await core.storage.get(d.storageKey, range ? { range } : undefined);
  if (!obj) throw new NotFound('file');
  return new Response(Readable.toWeb(obj.body) as unknown as ReadableStream, { status, headers });
}

// Turns a resolved download into an HTTP answer on node:http: cache policy per file kind,
// ETag/Last-Modified, conditional requests, single byte ranges, HSTS over HTTPS, and Content-Length on
// every answer (GET and HEAD). Small files come from memory, larger ones stream from storage.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Download } from '@pallet/core';
import type { Storage } from '@pallet/storage';
import type { BlobMemoryCache } from '../origin/blob-memory-cache';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const INDEX = 'public, max-age=60, must-revalidate';
const HSTS = 'max-age=63072000; includeSubDomains';

export interface ServeContext {
  storage: Storage;
  blobs: BlobMemoryCache;
  /** APP_URL is https: every answer carries HSTS */
  alwaysHttps: boolean;
}

/** The Cache-Control a file is served with (the edge reads it from /_pallet/edge-auth too). */
export function cacheControlOf(d: Download): string {
  const policy = d.kind === 'stored' && d.immutable ? IMMUTABLE : INDEX;
  return d.isPrivate ? policy.replace('public', 'private') : policy;
}

export function etagOf(d: Download): string {
  return `"${d.kind === 'stored' ? d.sha256 : d.etag}"`;
}

export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'invalid' | null {
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

// toUTCString allocates; files are few and their dates never change.
const httpDates = new WeakMap<Date, string>();
function httpDate(d: Date): string {
  let s = httpDates.get(d);
  if (!s) {
    s = d.toUTCString();
    httpDates.set(d, s);
  }
  return s;
}

function notModified(req: IncomingMessage, etag: string, lastModified: Date): boolean {
  const inm = req.headers['if-none-match'];
  if (inm) return inm.split(',').some((t) => t.trim() === etag || t.trim() === '*');
  const ims = req.headers['if-modified-since'];
  return !!ims && Date.parse(ims) >= Math.floor(lastModified.getTime() / 1000) * 1000;
}

/** A whole 200 answer sent from memory: what the answer cache (origin/answer-cache.ts) may keep. */
export interface WholeAnswer {
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

/** Answers with the file; returns the answer when it was a whole 200 from memory, otherwise null. */
export async function serveDownload(
  sc: ServeContext,
  req: IncomingMessage,
  res: ServerResponse,
  d: Download,
): Promise<WholeAnswer | null> {
  const etag = etagOf(d);
  const headers: OutgoingHttpHeaders = {
    'content-type': d.contentType,
    etag,
    'last-modified': httpDate(d.lastModified),
    'accept-ranges': 'bytes',
    'cache-control': cacheControlOf(d),
    'x-content-type-options': 'nosniff',
  };
  if (sc.alwaysHttps || req.headers['x-forwarded-proto'] === 'https')
    headers['strict-transport-security'] = HSTS;
  if (notModified(req, etag, d.lastModified)) {
    res.writeHead(304, headers);
    res.end();
    return null;
  }
  // GET answers describe the bytes actually sent (storage is the truth, should it ever disagree with
  // the database); HEAD answers come from the database alone and read nothing.
  let body: Buffer | null = null;
  if (d.kind === 'inline') body = Buffer.from(d.body.buffer, d.body.byteOffset, d.body.byteLength);
  else if (req.method !== 'HEAD' && sc.blobs.fits(d.size)) {
    const pending = sc.blobs.get(d.storageKey);
    body = pending instanceof Promise ? await pending : pending;
    if (!body) throw new StoredFileMissing();
  }
  const size = body ? body.length : (d as { size: number }).size;
  const ifRange = req.headers['if-range'];
  const range = !ifRange || ifRange === etag ? parseRange(req.headers.range, size) : null;
  if (range === 'invalid') {
    headers['content-range'] = `bytes */${size}`;
    headers['content-length'] = '0';
    res.writeHead(416, headers);
    res.end();
    return null;
  }
  const status = range ? 206 : 200;
  if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${size}`;
  headers['content-length'] = String(range ? range.end - range.start + 1 : size);
  if (req.method === 'HEAD') {
    res.writeHead(status, headers);
    res.end();
    return null;
  }
  if (body) {
    res.writeHead(status, headers);
    res.end(range ? body.subarray(range.start, range.end + 1) : body);
    return range ? null : { headers, body };
  }
  const obj = await sc.storage.get((d as { storageKey: string }).storageKey, range ? { range } : undefined);
  if (!obj) throw new StoredFileMissing();
  headers['content-length'] = String(obj.contentLength);
  if (obj.range) headers['content-range'] = `bytes ${obj.range.start}-${obj.range.end}/${obj.size}`;
  res.writeHead(status, headers);
  // A client that goes away mid-download ends the pipeline with an error; nothing to answer then.
  await pipeline(obj.body, res).catch(() => {
    obj.body.destroy();
    res.destroy();
  });
  return null;
}

/** The database names a file that storage does not have: an operator problem, not the client's. */
export class StoredFileMissing extends Error {
  constructor() {
    super('a published file is missing from storage');
  }
}

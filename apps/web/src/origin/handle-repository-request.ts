// The origin's own answers, outside Next.js: repository files (`/dl/...`) and the edge's auth hook
// (`/_pallet/edge-auth`, contract in docs/architecture.md). Both decide through the same cached
// resolver, so a warm request touches neither the database nor the page framework.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type Actor,
  authenticateDownloadActor,
  authenticateDownloadCertificate,
  type CoreContext,
  clientCaBundle,
  countsAsDownload,
  DomainError,
  type Download,
  type DownloadCache,
  type DownloadRecorder,
  decodePathSegments,
  InvalidRequest,
  isFromTrustedProxy,
  type PackageFileRef,
  resolveClientIp,
  resolveDownload,
} from '@pallet/core';
import { INTERNAL_ERROR_MESSAGE, knownError, retryAfterOf, STATUS } from '../lib/http';
import { PEER_HEADER } from '../lib/peer-address';
import { cacheControlOf, etagOf, type ServeContext, serveDownload } from '../lib/serve-download';
import type { AnswerCache } from './answer-cache';

const BASIC_CHALLENGE = 'Basic realm="pallet repository", charset="UTF-8"';
/** Set by the shipped edge (deploy/nginx/pallet-locations.conf) from a verified client certificate. */
const CLIENT_CERT_HEADER = 'x-pallet-client-cert';

export interface OriginContext extends ServeContext {
  core: CoreContext;
  cache: DownloadCache;
  /** download counts and token access logs, written in batches (absent: nothing is recorded) */
  recorder?: DownloadRecorder;
  /** whole answers kept for repeat requests (absent: every request is resolved) */
  answers?: AnswerCache;
}

function sendError(core: CoreContext, req: IncomingMessage, res: ServerResponse, thrown: unknown): void {
  const err = knownError(thrown);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  let status = 500;
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  };
  let body: { error: { code: string; message: string } };
  if (err instanceof DomainError) {
    status = STATUS[err.kind];
    const after = retryAfterOf(err);
    if (after) headers['retry-after'] = after;
    if (err.kind === 'unauthorized') headers['www-authenticate'] = BASIC_CHALLENGE;
    body = { error: { code: err.code, message: err.message } };
  } else {
    const e = err as Error;
    core.log.error(
      { err: { name: e?.name, message: e?.message, stack: e?.stack }, url: req.url },
      'unhandled error',
    );
    body = { error: { code: 'internal_error', message: INTERNAL_ERROR_MESSAGE } };
  }
  const text = req.method === 'HEAD' ? '' : JSON.stringify(body);
  headers['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(status, headers);
  res.end(text);
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

async function resolveFor(
  oc: OriginContext,
  req: IncomingMessage,
  path: string,
): Promise<{ d: Download; actor: Actor; ip: string | undefined }> {
  const segments = decodePathSegments(path, '/dl');
  const ip = clientIp(oc, req);
  const certificate = req.headers.authorization ? null : presentedCertificate(oc, req);
  const actor = certificate
    ? await authenticateDownloadCertificate(oc.core, oc.cache, certificate, ip)
    : await authenticateDownloadActor(oc.core, oc.cache, req.headers.authorization, ip);
  return { d: await resolveDownload(oc.core, oc.cache, actor, segments), actor, ip };
}

/** Behind the edge, the client is who the trusted proxies (PALLET_TRUST_PROXY) say it is. */
function clientIp(oc: OriginContext, req: IncomingMessage): string | undefined {
  return resolveClientIp(
    req.headers[PEER_HEADER] as string | undefined,
    req.headers['x-forwarded-for'] as string | undefined,
    oc.core.config.trustProxy,
  );
}

/**
 * In-memory bookkeeping only (download-recorder.ts): a download of `counted` (a package file, when the
 * answer counts as one) and the token's access log, with the request's own address (a cached actor
 * carries the address of the request that filled the cache).
 */
function recordServed(
  oc: OriginContext,
  tokenId: string | null,
  counted: PackageFileRef | undefined,
  ip: string | undefined,
  path: string,
) {
  if (!oc.recorder) return;
  if (counted) oc.recorder.recordDownload(counted, tokenId);
  if (tokenId) oc.recorder.recordAccess(tokenId, ip ?? 'unknown', path);
}

/** The bookkeeping of a resolved answer (nothing for an error). */
function record(
  oc: OriginContext,
  req: IncomingMessage,
  res: ServerResponse,
  resolved: { d: Download; actor: Actor; ip: string | undefined },
  path: string,
) {
  const { d, actor, ip } = resolved;
  if (res.statusCode >= 400) return;
  const counts = d.kind === 'stored' && countsAsDownload(req.method, res.statusCode, req.headers.range);
  recordServed(oc, actor.kind === 'token' ? actor.tokenId : null, counts ? d.package : undefined, ip, path);
}

/**
 * The client certificate the edge verified (nginx's URL-escaped PEM), believed only from a trusted
 * proxy (PALLET_TRUST_PROXY): from anyone else the header is ignored, as a certificate is public.
 */
function presentedCertificate(oc: OriginContext, req: IncomingMessage): string | null {
  const header = req.headers[CLIENT_CERT_HEADER];
  if (typeof header !== 'string' || !header) return null;
  if (!isFromTrustedProxy(req.headers[PEER_HEADER] as string | undefined, oc.core.config.trustProxy))
    return null;
  try {
    return decodeURIComponent(header);
  } catch {
    throw new InvalidRequest('Malformed client certificate header.');
  }
}

/**
 * A repeat GET /dl answered whole from the answer cache (origin/answer-cache.ts), synchronously, with its
 * statistics recorded; false when the request must go through handleDownload.
 */
export function answerFromCache(oc: OriginContext, req: IncomingMessage, res: ServerResponse): boolean {
  const key = oc.answers?.keyOf(req) ?? null;
  if (key === null) return false;
  const hit = oc.answers!.serve(key, req, res);
  if (!hit) return false;
  // A whole 200 to a GET: it counts as a download of its package file, if it is one.
  recordServed(
    oc,
    hit.tokenId,
    hit.package,
    hit.tokenId ? clientIp(oc, req) : undefined,
    pathOf(req.url ?? '/'),
  );
  return true;
}

/** GET/HEAD /dl/... */
export async function handleDownload(
  oc: OriginContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-length': '0' });
      res.end();
      return;
    }
    const key = oc.answers?.keyOf(req) ?? null;
    const generation = oc.cache.generation();
    const path = pathOf(req.url ?? '/');
    const resolved = await resolveFor(oc, req, path);
    const whole = await serveDownload(oc, req, res, resolved.d);
    record(oc, req, res, resolved, path);
    if (whole && key !== null) {
      const { d, actor } = resolved;
      const retainedUntil = d.kind === 'stored' ? d.retainedUntil : undefined;
      oc.answers!.remember(key, {
        generation,
        expiresAt: Math.min(Date.now() + oc.cache.ttlMs, retainedUntil ?? Number.POSITIVE_INFINITY),
        headers: whole.headers,
        inline: d.kind === 'inline' ? whole.body : null,
        storageKey: d.kind === 'stored' ? d.storageKey : null,
        tokenId: actor.kind === 'token' ? actor.tokenId : null,
        package: d.kind === 'stored' ? d.package : undefined,
      });
    }
  } catch (err) {
    sendError(oc.core, req, res, err);
  }
}

/** GET /_pallet/edge-auth with X-Original-URI: may this client read that repository file? */
export async function handleEdgeAuth(
  oc: OriginContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET', 'content-length': '0' });
      res.end();
      return;
    }
    const original = req.headers['x-original-uri'];
    if (typeof original !== 'string' || !original.startsWith('/dl/')) {
      throw new InvalidRequest('X-Original-URI must name a /dl/ path.');
    }
    const { d } = await resolveFor(oc, req, pathOf(original));
    const headers: Record<string, string> = {
      'x-pallet-visibility': d.isPrivate ? 'private' : 'public',
      'x-pallet-cache-control': cacheControlOf(d),
      'x-pallet-content-type': d.contentType,
      'x-pallet-etag': etagOf(d),
      'cache-control': 'no-store',
    };
    if (d.kind === 'stored') headers['x-pallet-storage-key'] = d.storageKey;
    res.writeHead(204, headers);
    res.end();
  } catch (err) {
    req.method = 'HEAD'; // the edge reads status and headers only
    sendError(oc.core, req, res, err);
  }
}

/** GET /_pallet/edge-client-cas: the orgs' client CA certificates (public), for the edge's TLS. */
export async function handleEdgeClientCas(
  oc: OriginContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET', 'content-length': '0' });
      res.end();
      return;
    }
    const body = await clientCaBundle(oc.core);
    res.writeHead(200, {
      'content-type': 'application/x-pem-file',
      'cache-control': 'no-store',
      'content-length': String(Buffer.byteLength(body)),
    });
    res.end(body);
  } catch (err) {
    sendError(oc.core, req, res, err);
  }
}

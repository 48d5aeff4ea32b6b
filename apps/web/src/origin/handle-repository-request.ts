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
  RateLimited,
  resolveClientIp,
  resolveDownload,
} from '@pallet/core';
import { STATUS } from '../lib/http';
import { PEER_HEADER } from '../lib/peer-address';
import { cacheControlOf, etagOf, type ServeContext, serveDownload } from '../lib/serve-download';

const BASIC_CHALLENGE = 'Basic realm="pallet repository", charset="UTF-8"';
/** Set by the shipped edge (deploy/nginx/pallet-locations.conf) from a verified client certificate. */
const CLIENT_CERT_HEADER = 'x-pallet-client-cert';

export interface OriginContext extends ServeContext {
  core: CoreContext;
  cache: DownloadCache;
  /** download counts and token access logs, written in batches (absent: nothing is recorded) */
  recorder?: DownloadRecorder;
}

function sendError(core: CoreContext, req: IncomingMessage, res: ServerResponse, err: unknown): void {
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
    if (err instanceof RateLimited) headers['retry-after'] = String(err.retryAfterSeconds);
    if (err.kind === 'unauthorized') headers['www-authenticate'] = BASIC_CHALLENGE;
    body = { error: { code: err.code, message: err.message } };
  } else {
    const e = err as Error;
    core.log.error(
      { err: { name: e?.name, message: e?.message, stack: e?.stack }, url: req.url },
      'unhandled error',
    );
    body = {
      error: {
        code: 'internal_error',
        message: 'Something went wrong on our side; the request changed nothing.',
      },
    };
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
  // Behind the edge, the client is who the trusted proxies (PALLET_TRUST_PROXY) say it is.
  const ip = resolveClientIp(
    req.headers[PEER_HEADER] as string | undefined,
    req.headers['x-forwarded-for'] as string | undefined,
    oc.core.config.trustProxy,
  );
  const certificate = req.headers.authorization ? null : presentedCertificate(oc, req);
  const actor = certificate
    ? await authenticateDownloadCertificate(oc.core, oc.cache, certificate, ip)
    : await authenticateDownloadActor(oc.core, oc.cache, req.headers.authorization, ip);
  return { d: await resolveDownload(oc.core, oc.cache, actor, segments), actor, ip };
}

/** In-memory bookkeeping only (download-recorder.ts): the statistics and the token's access log. */
function record(
  oc: OriginContext,
  req: IncomingMessage,
  res: ServerResponse,
  resolved: { d: Download; actor: Actor; ip: string | undefined },
  path: string,
) {
  const { d, actor, ip } = resolved;
  if (!oc.recorder || res.statusCode >= 400) return;
  const tokenId = actor.kind === 'token' ? actor.tokenId : null;
  if (d.kind === 'stored' && d.package && countsAsDownload(req.method, res.statusCode, req.headers.range))
    oc.recorder.recordDownload(d.package, tokenId);
  // The request's own address: a cached actor carries the address of the request that filled the cache.
  if (tokenId) oc.recorder.recordAccess(tokenId, ip ?? 'unknown', path);
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
    const path = pathOf(req.url ?? '/');
    const resolved = await resolveFor(oc, req, path);
    await serveDownload(oc, req, res, resolved.d);
    record(oc, req, res, resolved, path);
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

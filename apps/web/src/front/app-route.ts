// App routes the front answers itself with the very route module Next.js would run: the package upload
// (POST /api/v1/orgs/{org}/repos/{repo}/packages), so that a 1 GiB body never passes through the Next.js
// process. The node request becomes a Web Request without a body; the body stays the node request
// itself, handed to the route through lib/multipart's attachNodeBody (the route reads it with
// readMultipartUpload), so busboy reads the socket's chunks directly. The handler's Response goes back
// with the headers Next.js would add (next.config.ts: the security headers).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { POST as uploadPackage } from '../app/api/v1/orgs/[org]/repos/[repo]/packages/route';
import { attachNodeBody } from '../lib/multipart';
import { HSTS_HEADER, SECURITY_HEADERS } from '../lib/security-headers';
import { GcPacer } from './gc-pacer';

const pacer = new GcPacer();

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

interface Matched {
  handler: Handler;
  params: Record<string, string>;
}

const UPLOAD = /^\/api\/v1\/orgs\/([^/]+)\/repos\/([^/]+)\/packages$/;

/** The front's own route for this request, if any (anything unusual is left to Next.js). */
export function matchAppRoute(req: IncomingMessage): Matched | null {
  if (req.method !== 'POST') return null;
  const url = req.url ?? '';
  if (!url.startsWith('/api/v1/orgs/')) return null;
  const query = url.indexOf('?');
  const match = UPLOAD.exec(query < 0 ? url : url.slice(0, query));
  if (!match) return null;
  try {
    // Next.js decodes each dynamic segment the same way.
    return {
      handler: uploadPackage as Handler,
      params: { org: decodeURIComponent(match[1]!), repo: decodeURIComponent(match[2]!) },
    };
  } catch {
    return null;
  }
}

function webHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    // The request's own stamp (peer-address.ts) replaces whatever the client sent.
    if (name.toLowerCase() === 'x-pallet-peer') continue;
    headers.append(name, req.rawHeaders[i + 1]!);
  }
  const peer = req.headers['x-pallet-peer'];
  headers.set('x-pallet-peer', typeof peer === 'string' ? peer : '');
  return headers;
}

/** Answers the request with the matched route handler. */
export async function serveAppRoute(
  matched: Matched,
  req: IncomingMessage,
  res: ServerResponse,
  opts: {
    appOrigin: string;
    alwaysHttps: boolean;
    /**
     * Pace collections while the body streams (gc-pacer.ts): for S3 storage, whose parts hold buffers for
     * seconds. Not for the filesystem, whose chunks die young: there the forced collections cost more than
     * they save (1 GiB: V8 then marked the whole heap every half second, 80-100 full collections, about
     * 5 s of CPU, for 5 MiB less peak RSS).
     */
    paceCollections: boolean;
  },
): Promise<void> {
  let request: Request;
  const aborted = new AbortController();
  try {
    request = new Request(`${opts.appOrigin}${req.url}`, {
      method: req.method,
      headers: webHeaders(req),
      signal: aborted.signal,
    });
  } catch {
    const body = JSON.stringify({
      error: { code: 'invalid_request', message: 'Malformed request headers.' },
    });
    res.writeHead(400, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
    return;
  }
  attachNodeBody(request, req);
  const release = opts.paceCollections ? pacer.hold() : () => {};
  res.once('close', () => {
    release();
    if (!res.writableFinished) aborted.abort();
  });
  let response: Response;
  try {
    response = await matched.handler(request, { params: Promise.resolve(matched.params) });
  } catch {
    response = Response.json(
      {
        error: {
          code: 'internal_error',
          message: 'Something went wrong on our side; the request changed nothing.',
        },
      },
      { status: 500 },
    );
  }
  await sendResponse(req, res, response, opts.alwaysHttps);
}

function isJson(response: Response): boolean {
  return response.headers.get('content-type')?.startsWith('application/json') ?? false;
}

async function sendResponse(
  req: IncomingMessage,
  res: ServerResponse,
  response: Response,
  alwaysHttps: boolean,
): Promise<void> {
  if (res.destroyed) return;
  const headers: Record<string, string | string[]> = {};
  for (const { key, value } of SECURITY_HEADERS) headers[key] = value;
  if (alwaysHttps || req.headers['x-forwarded-proto'] === 'https')
    headers[HSTS_HEADER.key] = HSTS_HEADER.value;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  if (!response.body) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  if (isJson(response)) {
    // A JSON answer (every answer of the upload route) is small: read whole, it leaves in one write
    // with its headers and the last chunk (write and end in one tick go out together), not in a write
    // per piece of a piped Web stream.
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch {
      res.destroy();
      return;
    }
    if (res.destroyed) return;
    res.writeHead(response.status, headers);
    res.write(bytes);
    res.end();
    return;
  }
  res.writeHead(response.status, headers);
  const body = Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
  body.on('error', () => res.destroy());
  body.pipe(res);
}

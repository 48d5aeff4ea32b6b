// The front's reverse proxy to the Next.js child (over its private unix socket): the request and the
// answer are streamed with backpressure both ways (pipe), method, status, headers and repeated headers
// (several Set-Cookie) pass unchanged except the hop-by-hop ones, and a client that goes away aborts
// the upstream request. x-pallet-peer is the front's own stamp (peer-address.ts), believed by the child
// because only this process can reach its socket.
import http, { type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** Connection-level headers (RFC 9110 §7.6.1) are not forwarded; node:http sets its own. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  // The front answered `Expect: 100-continue` itself already (node:http does so by default).
  'expect',
]);

export interface Upstream {
  socketPath: string;
  agent: http.Agent;
}

/** Headers from rawHeaders (original case, repeats kept as arrays), without the hop-by-hop ones. */
export function forwardedHeaders(rawHeaders: string[], drop: Set<string> = HOP_BY_HOP): OutgoingHttpHeaders {
  const connectionTokens = new Set<string>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === 'connection')
      for (const token of rawHeaders[i + 1]!.split(',')) connectionTokens.add(token.trim().toLowerCase());
  }
  const out: Record<string, string | string[]> = {};
  const names = new Map<string, string>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const lower = name.toLowerCase();
    if (drop.has(lower) || connectionTokens.has(lower)) continue;
    const value = rawHeaders[i + 1]!;
    const key = names.get(lower);
    if (key === undefined) {
      names.set(lower, name);
      out[name] = value;
    } else {
      const known = out[key]!;
      out[key] = Array.isArray(known) ? [...known, value] : [known, value];
    }
  }
  return out;
}

/** The request's headers for the child: as received, with the front's peer stamp in place of any other. */
function requestHeaders(req: IncomingMessage, peerHeader: string): OutgoingHttpHeaders {
  const headers = forwardedHeaders(req.rawHeaders);
  for (const name of Object.keys(headers)) if (name.toLowerCase() === peerHeader) delete headers[name];
  const peer = req.headers[peerHeader];
  headers[peerHeader] = typeof peer === 'string' ? peer : '';
  return headers;
}

function answerUnavailable(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code: 'unavailable', message } });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'retry-after': '2',
  });
  res.end(body);
}

export interface ProxyOptions {
  /** Runs once the child has answered, before the client sees any of the answer. */
  beforeAnswer?: () => void;
}

/** Streams one request to the child and its answer back. */
export function proxyRequest(
  upstream: Upstream | null,
  req: IncomingMessage,
  res: ServerResponse,
  peerHeader: string,
  options: ProxyOptions = {},
): void {
  if (!upstream) {
    answerUnavailable(res, 503, 'The web app is starting; try again in a moment.');
    return;
  }
  const proxied = http.request({
    socketPath: upstream.socketPath,
    agent: upstream.agent,
    method: req.method,
    path: req.url,
    headers: requestHeaders(req, peerHeader),
  });
  let answered = false;
  let answerComplete = false;
  proxied.on('response', (answer) => {
    answered = true;
    options.beforeAnswer?.();
    answer.once('end', () => {
      answerComplete = true;
    });
    const headers = forwardedHeaders(answer.rawHeaders);
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
    answer.pipe(res);
    answer.on('error', () => res.destroy());
    // An answer cut short by the child is cut short for the client too (never a clean end).
    answer.on('aborted', () => res.destroy());
  });
  proxied.on('error', (err) => {
    if (answered) {
      // A body the child stopped reading after answering in full (an early 413) is not the client's loss.
      if (!answerComplete) res.destroy();
      return;
    }
    // The body may be partly sent: nothing to retry; the client gets a 502 (or a reset mid-answer).
    answerUnavailable(
      res,
      502,
      `The web app did not answer (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
    );
  });
  // The client went away (or the answer could not be written): stop the work upstream.
  res.on('close', () => {
    if (!res.writableFinished) proxied.destroy();
  });
  req.on('error', () => proxied.destroy());
  req.pipe(proxied);
}

/** Upgrade requests (Next's dev-mode hot reload websocket): a raw tunnel once the child agrees. */
export function proxyUpgrade(
  upstream: Upstream | null,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  peerHeader: string,
): void {
  if (!upstream) {
    socket.destroy();
    return;
  }
  const headers = forwardedHeaders(req.rawHeaders, new Set(['proxy-connection', 'keep-alive']));
  for (const name of Object.keys(headers)) if (name.toLowerCase() === peerHeader) delete headers[name];
  headers[peerHeader] = (req.headers[peerHeader] as string | undefined) ?? '';
  const proxied = http.request({
    socketPath: upstream.socketPath,
    method: req.method,
    path: req.url,
    headers,
  });
  socket.on('error', () => proxied.destroy());
  proxied.on('error', () => socket.destroy());
  proxied.on('response', (answer) => {
    // Refused: pass the answer on and close.
    const lines = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}`];
    for (let i = 0; i < answer.rawHeaders.length; i += 2)
      lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    answer.pipe(socket);
  });
  proxied.on('upgrade', (answer, upstreamSocket, upstreamHead) => {
    const lines = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}`];
    for (let i = 0; i < answer.rawHeaders.length; i += 2)
      lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (upstreamHead.length > 0) socket.write(upstreamHead);
    if (head.length > 0) upstreamSocket.write(head);
    upstreamSocket.on('error', () => socket.destroy());
    socket.on('close', () => upstreamSocket.destroy());
    upstreamSocket.on('close', () => socket.destroy());
    upstreamSocket.pipe(socket);
    socket.pipe(upstreamSocket);
  });
  proxied.end();
}

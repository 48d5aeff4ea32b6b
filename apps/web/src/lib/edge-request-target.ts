// The first check of every request the web process receives (the front, src/front/main.ts, calls it before /dl,
// the edge hook or Next.js see the request): a target with a malformed percent-escape or a NUL anywhere
// in its path or query is answered 400 in the contract's shape here. Next.js itself would answer such
// paths with a bare 500 before any route handler runs, and pages would hand the NUL to the database.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestTargetProblem } from './edge-input';

/** Answers 400 and returns true when the request target is unacceptable; otherwise does nothing. */
export function refuseBadRequestTarget(req: IncomingMessage, res: ServerResponse): boolean {
  const problem = requestTargetProblem(req.url ?? '/');
  if (problem === null) return false;
  const body = JSON.stringify({ error: { code: 'invalid_request', message: problem } });
  res.writeHead(400, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  // An unread request body is discarded by node:http once the answer is finished.
  res.end(body);
  return true;
}

// The HTTP side of the contract: JSON responses and the single mapping from domain errors to statuses.
import { Busy, DomainError, type DomainErrorKind, InvalidRequest, RateLimited } from '@pallet/core';
import { isDatabaseBusy } from '@pallet/db';
import { getCore } from './core';
import { assertSafeValue } from './edge-input';
import { readLimitedText } from './request-body';

export const STATUS: Record<DomainErrorKind, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_format: 415,
  invalid_package: 422,
  unprocessable: 422,
  rate_limited: 429,
  locked: 423,
  unavailable: 503,
};

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(data), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/** A plain-text answer (signed notes, verifier keys), never cached: it changes with every publication. */
export function text(body: string, status = 200): Response {
  return new Response(body, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' },
  });
}

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

/** Errors that are not bugs though they come from below the domain: a database with no connection free. */
export function knownError(err: unknown): unknown {
  return isDatabaseBusy(err) ? new Busy() : err;
}

/** Retry-After for the errors that say when to come back: a rate limit, a busy database. */
export function retryAfterOf(err: DomainError): string | undefined {
  return err instanceof RateLimited || err instanceof Busy ? String(err.retryAfterSeconds) : undefined;
}

/** The answer to an error that is not the client's (logged with its stack, never shown). */
export const INTERNAL_ERROR_MESSAGE = 'Something went wrong on our side; the request changed nothing.';

export function errorResponse(thrown: unknown): Response {
  const err = knownError(thrown);
  if (err instanceof DomainError) {
    const headers: Record<string, string> = {};
    const after = retryAfterOf(err);
    if (after) headers['retry-after'] = after;
    if (err.kind === 'unauthorized') headers['www-authenticate'] = 'Bearer realm="pallet"';
    if (err.code === 'auth_required')
      headers['www-authenticate'] = 'Basic realm="pallet repository", charset="UTF-8"';
    return json(errorBody(err.code, err.message), STATUS[err.kind], headers);
  }
  const e = err as Error;
  getCore().log.error({ err: { name: e?.name, message: e?.message, stack: e?.stack } }, 'unhandled error');
  return json(errorBody('internal_error', INTERNAL_ERROR_MESSAGE), 500);
}

/**
 * Reads a JSON body: 413 over PALLET_MAX_JSON_BYTES (declared or streamed), 400 when malformed or when
 * any string or key in it holds a NUL or an unpaired surrogate.
 */
export async function readJson(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.includes('application/json')) {
    throw new InvalidRequest('Send a JSON body with Content-Type: application/json.');
  }
  const { maxJsonBytes, jsonDrainMaxBytes } = getCore().config;
  const text = await readLimitedText(request, maxJsonBytes, jsonDrainMaxBytes);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new InvalidRequest('The request body is not valid JSON.');
  }
  assertSafeValue(body, 'The JSON body');
  return body;
}

/**
 * For actions that take no input (`POST .../yank`, `.../retire`): a body is optional, but one that is
 * sent is checked like any JSON body (size, NUL, unpaired surrogates) before the action runs, so odd
 * input gets the same 400/413 on every route and changes nothing.
 */
export async function readOptionalJson(request: Request): Promise<unknown> {
  if (request.body === null) return undefined;
  const length = request.headers.get('content-length');
  if (length === '0') return undefined;
  if (!(request.headers.get('content-type') ?? '').includes('application/json')) {
    const { maxJsonBytes, jsonDrainMaxBytes } = getCore().config;
    const text = await readLimitedText(request, maxJsonBytes, jsonDrainMaxBytes);
    if (text.length > 0) throw new InvalidRequest('This action takes no body, or a JSON one.');
    return undefined;
  }
  return readJson(request);
}

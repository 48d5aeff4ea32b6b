// Wraps a route handler so every thrown error becomes the contract's error response, and so that no
// handler sees a URL with a malformed escape or a NUL in its path, parameters or query.
import type { CoreContext } from '@pallet/core';
import { getCore } from './core';
import { assertSafeValue, assertValidRequestTarget } from './edge-input';
import { errorResponse } from './http';

type Params = Record<string, string | string[]>;

export function route<P extends Params>(
  fn: (request: Request, params: P, core: CoreContext) => Promise<Response>,
): (request: Request, context: { params: Promise<P> }) => Promise<Response> {
  return async (request, context) => {
    try {
      assertValidRequestTarget(request.url);
      const params = await context.params;
      assertSafeValue(params, 'The URL path');
      return await fn(request, params, getCore());
    } catch (err) {
      return errorResponse(err);
    }
  };
}

export function searchParams(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams.entries());
}

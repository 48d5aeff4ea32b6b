// Wraps a route handler so every thrown error becomes the contract's error response.
import type { CoreContext } from '@pallet/core';
import { getCore } from './core';
import { errorResponse } from './http';

type Params = Record<string, string | string[]>;

export function route<P extends Params>(
  fn: (request: Request, params: P, core: CoreContext) => Promise<Response>,
): (request: Request, context: { params: Promise<P> }) => Promise<Response> {
  return async (request, context) => {
    try {
      return await fn(request, await context.params, getCore());
    } catch (err) {
      return errorResponse(err);
    }
  };
}

export function searchParams(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams.entries());
}

// The edge checks of the REST API, for next-auth's own endpoints (/api/auth/*): a clean URL, a body no
// larger than PALLET_MAX_JSON_BYTES, and no NUL or unpaired surrogate in any form or JSON value (the
// credentials provider would otherwise hand them to the database). The body is read once here and
// passed on to next-auth as a fresh request.
import { DomainError } from '@pallet/core';
import { NextRequest } from 'next/server';
import { getCore } from './core';
import { assertSafeValue, assertValidRequestTarget } from './edge-input';
import { errorBody, errorResponse, json } from './http';
import { readLimitedText } from './request-body';

function parseBody(type: string, text: string): unknown {
  if (type.includes('application/json')) {
    try {
      return JSON.parse(text);
    } catch {
      return null; // next-auth answers malformed bodies itself
    }
  }
  return [...new URLSearchParams(text)];
}

/** The request to hand to next-auth, or the contract's error answer when it fails an edge check. */
export async function screenAuthRequest(request: NextRequest): Promise<NextRequest | Response> {
  try {
    assertValidRequestTarget(request.url);
    if (request.method !== 'POST') return request;
    const { maxJsonBytes, jsonDrainMaxBytes } = getCore().config;
    const text = await readLimitedText(request, maxJsonBytes, jsonDrainMaxBytes);
    assertSafeValue(parseBody(request.headers.get('content-type') ?? '', text), 'The form');
    return new NextRequest(request.url, { method: request.method, headers: request.headers, body: text });
  } catch (err) {
    if (!(err instanceof DomainError)) return errorResponse(err);
    const answer = errorResponse(err);
    // next-auth's client reads `url` and takes the error code from its query string.
    return json(
      { ...errorBody(err.code, err.message), url: `${getCore().config.appUrl}/sign-in?error=${err.code}` },
      answer.status,
    );
  }
}

// A database with no connection free is answered 503 with Retry-After (the request changed nothing and
// may be retried), in the contract's error shape, never as a 500.
import { expect, it } from 'vitest';
import { errorResponse } from './http';

it('answers a transaction that could not start in time with 503 busy and Retry-After', async () => {
  const prismaBusy = Object.assign(
    new Error('Transaction API error: Unable to start a transaction in the given time.'),
    { code: 'P2028' },
  );
  const res = errorResponse(prismaBusy);
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe('1');
  expect(await res.json()).toEqual({
    error: { code: 'busy', message: 'The service is busy; nothing was changed. Retry in a moment.' },
  });
});

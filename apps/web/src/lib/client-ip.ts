// Where a request came from, for rate limits and the audit log (PALLET_TRUST_PROXY decides whom to believe).
import { resolveClientIp } from '@pallet/core';
import { getCore } from './core';
import { PEER_HEADER } from './peer-address';

/**
 * The client's address for rate limits and the audit log: the socket peer (stamped by peer-address.ts),
 * or what trusted proxies (PALLET_TRUST_PROXY) say in X-Forwarded-For. X-Real-IP is never read.
 */
export function ipFromHeaders(headers: Headers): string | undefined {
  return resolveClientIp(
    headers.get(PEER_HEADER),
    headers.get('x-forwarded-for'),
    getCore().config.trustProxy,
  );
}

export function clientIp(request: Request): string | undefined {
  return ipFromHeaders(request.headers);
}

// The brute-force limits: how many attempts each key may make per window, as configured (packages/config,
// PALLET_LIMIT_*). Fixed windows, counted in PostgreSQL (RateLimitBucket) so that they hold across every
// web instance.
import type { Config } from '@pallet/config';

export interface RateLimitRule {
  /** bucket key prefix, e.g. `signin:pair` */
  name: string;
  limit: number;
  windowSeconds: number;
}

export function rateLimitRules(config: Config) {
  const l = config.rateLimits;
  return {
    signInPerAccountSource: { name: 'signin:pair', ...l.signInFailuresPerAccountSource },
    signInPerAccount: { name: 'signin:account', ...l.signInFailuresPerAccount },
    signInPerSource: { name: 'signin:source', ...l.signInFailuresPerSource },
    signUpPerSource: { name: 'signup:ip', ...l.signUpsPerSource },
    signUpPerEmail: { name: 'signup:email', ...l.signUpsPerEmail },
    tokenFailuresPerSource: { name: 'token-fail:ip', ...l.tokenFailuresPerSource },
  } satisfies Record<string, RateLimitRule>;
}

/**
 * The subject a client address is limited under. IPv6 clients are counted per /64, the block one
 * subscriber usually gets: per-address counting would let anyone with a /64 rotate past every limit.
 * Requests whose address is unknown share one subject rather than escaping the limits.
 */
export function rateLimitSource(ip: string | undefined): string {
  if (!ip) return 'unknown';
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

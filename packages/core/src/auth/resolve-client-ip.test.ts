// Whom to believe about a client's address: the peer, unless PALLET_TRUST_PROXY names our proxies.
import type { TrustProxy } from '@pallet/config';
import { describe, expect, it } from 'vitest';
import { rateLimitSource } from '../rate-limit/rate-limits';
import { canonicalIp, resolveClientIp } from './resolve-client-ip';

const off: TrustProxy = { kind: 'none' };
const oneHop: TrustProxy = { kind: 'hops', hops: 1 };
const twoHops: TrustProxy = { kind: 'hops', hops: 2 };
const cidrs: TrustProxy = { kind: 'cidrs', cidrs: ['10.0.0.0/8', '2001:db8:ffff::/48', '192.0.2.7'] };

describe('canonicalIp', () => {
  it('writes each address one way', () => {
    expect(canonicalIp('2001:0DB8:0:0::1')).toBe('2001:db8::1');
    expect(canonicalIp('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(canonicalIp('::ffff:cb00:7109')).toBe('203.0.113.9');
    expect(canonicalIp('[2001:db8::1]:8443')).toBe('2001:db8::1');
    expect(canonicalIp('203.0.113.9:5000')).toBe('203.0.113.9');
    expect(canonicalIp(' 203.0.113.9 ')).toBe('203.0.113.9');
  });

  it('refuses what is not an address', () => {
    for (const bad of [
      '',
      'unknown',
      'evil.example',
      '1.2.3',
      '999.1.1.1',
      '1.2.3.4, 5.6.7.8',
      '::ffff:1.2.3.4.5',
    ])
      expect(canonicalIp(bad)).toBeUndefined();
  });
});

describe('resolveClientIp', () => {
  it('believes only the peer when no proxy is trusted', () => {
    expect(resolveClientIp('127.0.0.1', '198.51.100.1', off)).toBe('127.0.0.1');
    expect(resolveClientIp('::ffff:127.0.0.1', null, off)).toBe('127.0.0.1');
    expect(resolveClientIp(undefined, '198.51.100.1', off)).toBeUndefined();
  });

  it('takes the address the outermost of N trusted hops appended', () => {
    expect(resolveClientIp('10.1.1.1', 'spoofed, 198.51.100.1', oneHop)).toBe('198.51.100.1');
    expect(resolveClientIp('10.1.1.1', '6.6.6.6, 198.51.100.1, 10.2.2.2', twoHops)).toBe('198.51.100.1');
    // Fewer entries than hops: the leftmost we have (the request did not pass every proxy).
    expect(resolveClientIp('10.1.1.1', null, oneHop)).toBe('10.1.1.1');
    expect(resolveClientIp('10.1.1.1', '198.51.100.1', twoHops)).toBe('198.51.100.1');
  });

  it('walks X-Forwarded-For from the right while the hops are trusted networks', () => {
    expect(resolveClientIp('10.1.1.1', '6.6.6.6, 198.51.100.1, 10.3.3.3', cidrs)).toBe('198.51.100.1');
    expect(resolveClientIp('::ffff:10.1.1.1', '198.51.100.1', cidrs)).toBe('198.51.100.1');
    expect(resolveClientIp('2001:db8:ffff:1::5', '[2001:db8:1::9]:4000', cidrs)).toBe('2001:db8:1::9');
    expect(resolveClientIp('192.0.2.7', '198.51.100.1', cidrs)).toBe('198.51.100.1');
    // An untrusted peer's header is ignored entirely.
    expect(resolveClientIp('203.0.113.5', '10.1.1.1, 198.51.100.1', cidrs)).toBe('203.0.113.5');
    expect(resolveClientIp('192.0.2.8', '198.51.100.1', cidrs)).toBe('192.0.2.8');
    // All hops trusted: the leftmost is the best we know; garbage stops the walk at the last good hop.
    expect(resolveClientIp('10.1.1.1', '10.9.9.9', cidrs)).toBe('10.9.9.9');
    expect(resolveClientIp('10.1.1.1', 'garbage, 10.9.9.9', cidrs)).toBe('10.9.9.9');
  });
});

describe('rateLimitSource', () => {
  it('counts IPv4 per address and IPv6 per /64', () => {
    expect(rateLimitSource('198.51.100.1')).toBe('198.51.100.1');
    expect(rateLimitSource('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(rateLimitSource('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(rateLimitSource('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(rateLimitSource('::1')).toBe('0:0:0:0::/64');
    expect(rateLimitSource(undefined)).toBe('unknown');
  });
});

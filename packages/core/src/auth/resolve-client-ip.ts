// Which address a request came from. The TCP peer is the only fact; X-Forwarded-For is believed only as
// far as PALLET_TRUST_PROXY says the hops that wrote it are our own proxies (off by default).
import { BlockList, isIP } from 'node:net';
import type { TrustProxy } from '@pallet/config';

/**
 * One address in canonical text form (`2001:db8::1`, IPv4-mapped IPv6 as plain IPv4), or undefined for
 * anything that is not an address. Accepts the forms proxies write: `[v6]`, `[v6]:port`, `v4:port`.
 */
export function canonicalIp(text: string | null | undefined): string | undefined {
  let value = text?.trim();
  if (!value) return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  const version = isIP(value);
  if (version === 4) return value;
  if (version !== 6) return undefined;
  // WHATWG URL parsing canonicalises IPv6 (lower case, zero compression), so one address has one key.
  const v6 = new URL(`http://[${value}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6);
  if (!mapped) return v6;
  const hi = Number.parseInt(mapped[1]!, 16);
  const lo = Number.parseInt(mapped[2]!, 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

const trustedNetworks = new WeakMap<TrustProxy, BlockList>();

function networksOf(trust: Extract<TrustProxy, { kind: 'cidrs' }>): BlockList {
  let list = trustedNetworks.get(trust);
  if (!list) {
    list = new BlockList();
    for (const cidr of trust.cidrs) {
      const [address = '', bits] = cidr.split('/');
      const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
      if (bits === undefined) list.addAddress(address, type);
      else list.addSubnet(address, Number(bits), type);
    }
    trustedNetworks.set(trust, list);
  }
  return list;
}

function isTrustedProxy(trust: Extract<TrustProxy, { kind: 'cidrs' }>, ip: string): boolean {
  // BlockList matches IPv4 rules against IPv4-mapped IPv6 addresses too.
  return networksOf(trust).check(ip, isIP(ip) === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The client's address: the peer itself unless proxies are trusted; then X-Forwarded-For is read from
 * the right (the entries our own proxies appended) and stops at the first hop we do not trust, so
 * whatever a client writes on the left of the header is never believed.
 */
export function resolveClientIp(
  peer: string | null | undefined,
  forwardedFor: string | null | undefined,
  trust: TrustProxy,
): string | undefined {
  let client = canonicalIp(peer);
  if (!client || trust.kind === 'none') return client;
  const hops = (forwardedFor ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  for (let step = 1; ; step++) {
    const trusted = trust.kind === 'hops' ? step <= trust.hops : isTrustedProxy(trust, client);
    if (!trusted) return client;
    const previous = canonicalIp(hops.pop());
    // A trusted proxy that sent no (or a garbled) address leaves that proxy as the best we know.
    if (!previous) return client;
    client = previous;
  }
}

/**
 * Whether the TCP peer itself is one of our proxies: only then are headers the edge sets about the
 * connection (a verified client certificate) believed.
 */
export function isFromTrustedProxy(peer: string | null | undefined, trust: TrustProxy): boolean {
  const ip = canonicalIp(peer);
  if (!ip || trust.kind === 'none') return false;
  return trust.kind === 'hops' ? trust.hops >= 1 : isTrustedProxy(trust, ip);
}

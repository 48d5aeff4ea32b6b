// PALLET_TRUST_PROXY and the PALLET_LIMIT_* variables: what operators may write, and clear errors otherwise.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadMaxJsonBytes } from './index';

const base = { PALLET_MASTER_KEY: 'a'.repeat(64) };
const load = (env: Record<string, string>) => loadConfig({ ...base, ...env }, () => {});

describe('PALLET_TRUST_PROXY', () => {
  it('is off by default and takes a hop count or a list of addresses and CIDRs', () => {
    expect(load({}).trustProxy).toEqual({ kind: 'none' });
    expect(load({ PALLET_TRUST_PROXY: 'off' }).trustProxy).toEqual({ kind: 'none' });
    expect(load({ PALLET_TRUST_PROXY: '1' }).trustProxy).toEqual({ kind: 'hops', hops: 1 });
    expect(load({ PALLET_TRUST_PROXY: '10.0.0.0/8, 192.0.2.7,::1,2001:db8::/32' }).trustProxy).toEqual({
      kind: 'cidrs',
      cidrs: ['10.0.0.0/8', '192.0.2.7', '::1', '2001:db8::/32'],
    });
  });

  it('refuses what is neither', () => {
    for (const bad of ['yes-please', '10.0.0.0/33', '::1/129', 'proxy.example', '10.0.0.1/8/2'])
      expect(() => load({ PALLET_TRUST_PROXY: bad })).toThrow(ConfigError);
  });
});

describe('rate limits', () => {
  it('have defaults and read <attempts>/<window>', () => {
    const defaults = load({}).rateLimits;
    expect(defaults.tokenFailuresPerSource).toEqual({ limit: 100, windowSeconds: 300 });
    expect(defaults.signInFailuresPerAccountSource).toEqual({ limit: 5, windowSeconds: 900 });
    expect(defaults.signInMaxDelaySeconds).toBe(900);
    const set = load({
      PALLET_LIMIT_TOKEN_FAILURES_SOURCE: '500/1h',
      PALLET_LIMIT_SIGNIN_SOURCE: '20/90',
      PALLET_SIGNIN_MAX_DELAY: '2m',
    }).rateLimits;
    expect(set.tokenFailuresPerSource).toEqual({ limit: 500, windowSeconds: 3600 });
    expect(set.signInFailuresPerSource).toEqual({ limit: 20, windowSeconds: 90 });
    expect(set.signInMaxDelaySeconds).toBe(120);
  });

  it('refuses malformed limits with the variable named', () => {
    for (const bad of ['100', '0/5m', '100/soon', '100/0', '-1/5m'])
      expect(() => load({ PALLET_LIMIT_TOKEN_FAILURES_SOURCE: bad })).toThrow(
        /PALLET_LIMIT_TOKEN_FAILURES_SOURCE/,
      );
  });
});

describe('refused-body discard bounds', () => {
  it('have defaults and can be set', () => {
    const defaults = load({});
    expect(defaults.uploadDiscard).toEqual({
      replyAfterMs: 500,
      maxBytes: 64 * 1024 * 1024,
      maxMs: 10_000,
      closeGraceMs: 1000,
    });
    expect(defaults.jsonDrainMaxBytes).toBe(256 * 1024 * 1024);
    const set = load({
      PALLET_UPLOAD_DISCARD_REPLY_AFTER_MS: '200',
      PALLET_UPLOAD_DISCARD_MAX_BYTES: '1048576',
      PALLET_UPLOAD_DISCARD_MAX_MS: '3000',
      PALLET_UPLOAD_DISCARD_CLOSE_GRACE_MS: '0',
      PALLET_JSON_DRAIN_MAX_BYTES: '0',
    });
    expect(set.uploadDiscard).toEqual({ replyAfterMs: 200, maxBytes: 1048576, maxMs: 3000, closeGraceMs: 0 });
    expect(set.jsonDrainMaxBytes).toBe(0);
  });

  it('refuses values that are not whole non-negative numbers', () => {
    for (const bad of ['-1', 'lots', '1.5']) {
      expect(() => load({ PALLET_UPLOAD_DISCARD_MAX_BYTES: bad })).toThrow(/PALLET_UPLOAD_DISCARD_MAX_BYTES/);
      expect(() => load({ PALLET_JSON_DRAIN_MAX_BYTES: bad })).toThrow(/PALLET_JSON_DRAIN_MAX_BYTES/);
    }
  });
});

describe('loadMaxJsonBytes', () => {
  it('reads PALLET_MAX_JSON_BYTES alone, like loadConfig, without a master key', () => {
    expect(loadMaxJsonBytes({})).toBe(1024 * 1024);
    expect(loadMaxJsonBytes({ PALLET_MAX_JSON_BYTES: '65536' })).toBe(65536);
    expect(load({ PALLET_MAX_JSON_BYTES: '65536' }).maxJsonBytes).toBe(65536);
    expect(() => loadMaxJsonBytes({ PALLET_MAX_JSON_BYTES: 'big' })).toThrow(/PALLET_MAX_JSON_BYTES/);
  });
});

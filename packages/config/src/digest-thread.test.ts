// PALLET_DIGEST_THREAD: the upload digest thread follows the storage unless set.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index';

const base = { PALLET_MASTER_KEY: 'a'.repeat(64) };
const load = (env: Record<string, string>) => loadConfig({ ...base, ...env }, () => {});

describe('PALLET_DIGEST_THREAD', () => {
  it('is on with filesystem storage and off with S3 by default (auto)', () => {
    expect(load({}).digestThread).toBe(true);
    expect(load({ PALLET_STORAGE: '/srv/pallet' }).digestThread).toBe(true);
    expect(load({ PALLET_STORAGE: 's3://bucket/prefix' }).digestThread).toBe(false);
    expect(load({ PALLET_STORAGE: 's3://bucket', PALLET_DIGEST_THREAD: 'auto' }).digestThread).toBe(false);
  });

  it('takes on and off whatever the storage', () => {
    expect(load({ PALLET_STORAGE: 's3://bucket', PALLET_DIGEST_THREAD: 'on' }).digestThread).toBe(true);
    expect(load({ PALLET_DIGEST_THREAD: 'off' }).digestThread).toBe(false);
    expect(() => load({ PALLET_DIGEST_THREAD: 'yes' })).toThrow(ConfigError);
  });
});

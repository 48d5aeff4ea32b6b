import { enums } from 'openpgp';
import { describe, expect, it } from 'vitest';
import { SHA512_HASH_ALGORITHM, SIGNING_CONFIG } from './signing-config';

describe('SIGNING_CONFIG', () => {
  it('prefers SHA-512 by openpgp.js’ own number for it', () => {
    expect(SHA512_HASH_ALGORITHM).toBe(enums.hash.sha512);
    expect(SIGNING_CONFIG.preferredHashAlgorithm).toBe(enums.hash.sha512);
  });
});

import { readKey } from 'openpgp';
import { describe, expect, it } from 'vitest';
import { generateSigningKey } from './generate-signing-key';
import { revokeSigningKey } from './revoke-signing-key';

describe('revokeSigningKey', () => {
  it('returns the public key carrying a compromise revocation, without private material', async () => {
    const key = await generateSigningKey({ name: 'r', email: 'r@pallet.invalid', algorithm: 'ed25519' });
    const armored = await revokeSigningKey(key.privateKeyArmored, { reason: 'laptop stolen' });
    expect(armored).toContain('BEGIN PGP PUBLIC KEY BLOCK');
    expect(armored).not.toContain('PRIVATE');
    const revoked = await readKey({ armoredKey: armored });
    expect(revoked.isPrivate()).toBe(false);
    expect(await revoked.isRevoked()).toBe(true);
    expect(revoked.revocationSignatures[0]?.reasonForRevocationString).toBe('laptop stolen');
    const original = await readKey({ armoredKey: key.publicKeyArmored });
    expect(await original.isRevoked()).toBe(false);
  });
});

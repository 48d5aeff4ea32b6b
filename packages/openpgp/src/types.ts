// Plain data shapes returned by @pallet/openpgp: generated keys, key facts and verification outcomes.
// Dates are JS Dates; fingerprints and key ids are upper-case hex like gpg prints them.

/** The two key types Pallet generates: both readable by gpgv 2.2 (bookworm) and rpm ≥ 4.16. */
export type SigningAlgorithm = 'rsa4096' | 'ed25519';

export interface GeneratedKey {
  publicKeyArmored: string;
  /** Unencrypted: the caller seals it with sealPrivateKey before storing it. */
  privateKeyArmored: string;
  /** 40 upper-case hex digits (v4 fingerprint). */
  fingerprint: string;
  /** 16 upper-case hex digits: the last 8 bytes of the fingerprint. */
  keyId: string;
  algorithm: SigningAlgorithm;
  /** RSA modulus size; absent for Ed25519. */
  bits?: number;
  createdAt: Date;
  expiresAt?: Date;
}

export interface KeyInfo {
  fingerprint: string;
  keyId: string;
  /** `rsa<bits>` for RSA, `ed25519` for EdDSA on Ed25519, otherwise openpgp.js' algorithm name. */
  algorithm: string;
  bits?: number;
  /** OpenPGP key packet version: 4 for keys gpgv 2.2 and rpm 4.18 can read, 6 for RFC 9580 keys. */
  version: number;
  createdAt: Date;
  expiresAt?: Date;
  userIds: string[];
}

export type SignatureStatus = 'good' | 'bad' | 'unknown-key';

export interface SignatureCheck {
  keyId: string;
  status: SignatureStatus;
}

export interface VerificationResult {
  /** apt's rule: at least one good signature and no bad one (unknown keys are tolerated). */
  valid: boolean;
  signatures: SignatureCheck[];
}

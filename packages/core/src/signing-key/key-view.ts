// The public facts of a signing key, as the API shows them (never any private material).
import type { SigningKey } from '@pallet/db';

export type SigningKeyStatus = 'active' | 'retiring' | 'retired' | 'revoked';

export interface SigningKeyView {
  fingerprint: string;
  algorithm: string;
  bits?: number;
  status: SigningKeyStatus;
  createdAt: string;
  expiresAt: string | null;
  retiredAt?: string;
  revokedAt?: string;
  revocationReason?: string;
}

export function toSigningKeyView(k: SigningKey): SigningKeyView {
  return {
    fingerprint: k.fingerprint,
    algorithm: k.algorithm,
    ...(k.bits ? { bits: k.bits } : {}),
    status: k.status.toLowerCase() as SigningKeyStatus,
    createdAt: k.createdAt.toISOString(),
    expiresAt: k.expiresAt?.toISOString() ?? null,
    ...(k.retiredAt ? { retiredAt: k.retiredAt.toISOString() } : {}),
    ...(k.revokedAt ? { revokedAt: k.revokedAt.toISOString() } : {}),
    ...(k.revocationReason ? { revocationReason: k.revocationReason } : {}),
  };
}

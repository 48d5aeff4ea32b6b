// The public facts of a signing key, as the API shows them (never any private material).
import type { SigningKey } from '@pallet/db';
import { daysUntilExpiry, type ExpiryWarning, expiryWarning } from './key-expiry';

export type SigningKeyStatus = 'active' | 'retiring' | 'retired' | 'revoked';

export interface SigningKeyView {
  fingerprint: string;
  algorithm: string;
  bits?: number;
  status: SigningKeyStatus;
  createdAt: string;
  expiresAt: string | null;
  /** whole days until expiresAt (negative once expired); null without expiry */
  expiresInDays: number | null;
  /** set 30, 7 and 1 days before expiry and after it, for keys still in use (active, retiring) */
  expiryWarning: ExpiryWarning | null;
  /** `generated` by Pallet or `imported` */
  origin: 'generated' | 'imported';
  retiredAt?: string;
  revokedAt?: string;
  revocationReason?: string;
}

export function toSigningKeyView(k: SigningKey, now: Date = new Date()): SigningKeyView {
  const inUse = k.status === 'ACTIVE' || k.status === 'RETIRING';
  return {
    fingerprint: k.fingerprint,
    algorithm: k.algorithm,
    ...(k.bits ? { bits: k.bits } : {}),
    status: k.status.toLowerCase() as SigningKeyStatus,
    createdAt: k.createdAt.toISOString(),
    expiresAt: k.expiresAt?.toISOString() ?? null,
    expiresInDays: daysUntilExpiry(k.expiresAt, now),
    expiryWarning: inUse ? expiryWarning(k.expiresAt, now) : null,
    origin: k.origin === 'imported' ? 'imported' : 'generated',
    ...(k.retiredAt ? { retiredAt: k.retiredAt.toISOString() } : {}),
    ...(k.revokedAt ? { revokedAt: k.revokedAt.toISOString() } : {}),
    ...(k.revocationReason ? { revocationReason: k.revocationReason } : {}),
  };
}

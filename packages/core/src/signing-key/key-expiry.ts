// When a signing key's expiry deserves a warning: 30, 7 and 1 days before it (and once it has passed).
// Shared by the API view, the dashboard banner and the worker's warning job, so all three agree.

export const EXPIRY_WARNING_DAYS = [30, 7, 1] as const;
const DAY_MS = 86_400_000;

export type ExpiryWarning =
  | 'expired'
  | 'expires_within_1_day'
  | 'expires_within_7_days'
  | 'expires_within_30_days';

/** Whole days left (rounded down; negative once expired), or null for a key without expiry. */
export function daysUntilExpiry(expiresAt: Date | null, now: Date = new Date()): number | null {
  if (!expiresAt) return null;
  return Math.floor((expiresAt.getTime() - now.getTime()) / DAY_MS);
}

/** The smallest warning threshold reached: 30, 7, 1, 0 (= expired), or null (no warning due). */
export function expiryThreshold(expiresAt: Date | null, now: Date = new Date()): number | null {
  if (!expiresAt) return null;
  const left = expiresAt.getTime() - now.getTime();
  if (left <= 0) return 0;
  let reached: number | null = null;
  for (const days of EXPIRY_WARNING_DAYS) if (left <= days * DAY_MS) reached = days;
  return reached;
}

export function expiryWarning(expiresAt: Date | null, now: Date = new Date()): ExpiryWarning | null {
  const threshold = expiryThreshold(expiresAt, now);
  if (threshold === null) return null;
  if (threshold === 0) return 'expired';
  return threshold === 1 ? 'expires_within_1_day' : (`expires_within_${threshold}_days` as ExpiryWarning);
}

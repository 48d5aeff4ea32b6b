// API token secrets: `plt_` + 32 base62 characters (~190 bits). Only a SHA-256 of the secret is stored.
import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const TOKEN_PREFIX = 'plt_';
const TOKEN_RE = /^plt_[0-9A-Za-z]{32}$/;

/** A random secret: `prefix` + 32 base62 characters (invitation links use their own prefix). */
export function generateTokenSecret(prefix = TOKEN_PREFIX): string {
  const bytes = randomBytes(32);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % 62]; // 256 % 62 bias is negligible at 32 characters
  return prefix + out;
}

export function looksLikeToken(secret: string): boolean {
  return TOKEN_RE.test(secret);
}

export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function displayPrefixOf(secret: string): string {
  return secret.slice(0, TOKEN_PREFIX.length + 6);
}

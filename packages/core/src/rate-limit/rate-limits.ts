// The brute-force limits: how many attempts each key may make per window. Fixed windows, counted in
// PostgreSQL (RateLimitBucket) so that they hold across every web instance.
export interface RateLimitRule {
  /** bucket key prefix, e.g. `signin:email` */
  name: string;
  limit: number;
  windowSeconds: number;
}

export const RATE_LIMITS = {
  /** failed sign-ins for one email address */
  signInPerEmail: { name: 'signin:email', limit: 10, windowSeconds: 15 * 60 },
  /** failed sign-ins from one IP address, whatever the email */
  signInPerIp: { name: 'signin:ip', limit: 50, windowSeconds: 15 * 60 },
  /** sign-up attempts from one IP address */
  signUpPerIp: { name: 'signup:ip', limit: 20, windowSeconds: 60 * 60 },
  /** sign-up attempts for one email address */
  signUpPerEmail: { name: 'signup:email', limit: 5, windowSeconds: 60 * 60 },
  /** presented API tokens that were unknown, revoked or expired, per IP address */
  tokenFailuresPerIp: { name: 'token-fail:ip', limit: 100, windowSeconds: 5 * 60 },
} satisfies Record<string, RateLimitRule>;

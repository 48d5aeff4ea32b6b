// Brute-force limits against the real PostgreSQL: failed sign-ins per email and per IP, failed token
// checks per IP, sign-ups per IP — each answered with RateLimited (429 + Retry-After) once used up.
import { loadConfig } from '@pallet/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCredentials } from '../auth/verify-credentials';
import { type CoreContext, createCoreContext } from '../context/core-context';
import { RateLimited, Unauthorized } from '../errors/domain-errors';
import { signUp } from '../org/sign-up';
import { authenticateToken } from '../token/authenticate-token';
import { consumeRateLimit } from './consume-rate-limit';
import { RATE_LIMITS } from './rate-limits';

let ctx: CoreContext;
let token: string;
const PASSWORD = 'rate limited password';

beforeAll(async () => {
  ctx = createCoreContext(loadConfig({ ...process.env }));
  token = (
    await signUp(ctx, { email: 'limits@rate.test', password: PASSWORD, org: 'rate-int' }, '198.51.100.1')
  ).token;
});

afterAll(async () => {
  await ctx.queues.close();
});

describe('rate limits', () => {
  it('signs in with the right password and records user.signin', async () => {
    const user = await verifyCredentials(
      ctx,
      { email: 'LIMITS@rate.test', password: PASSWORD },
      '198.51.100.2',
    );
    expect(user.email).toBe('limits@rate.test');
    const event = await ctx.db.auditEvent.findFirst({
      where: { action: 'user.signin' },
      orderBy: { id: 'desc' },
    });
    expect(event).toMatchObject({ actor: 'limits@rate.test', ip: '198.51.100.2' });
  });

  it('locks an email out after repeated failures, even with the right password, with a Retry-After', async () => {
    const { limit } = RATE_LIMITS.signInPerEmail;
    for (let i = 0; i < limit; i++) {
      await expect(
        verifyCredentials(ctx, { email: 'limits@rate.test', password: `wrong ${i}` }, `198.51.100.${10 + i}`),
      ).rejects.toBeInstanceOf(Unauthorized);
    }
    const err = await verifyCredentials(
      ctx,
      { email: 'limits@rate.test', password: PASSWORD },
      '198.51.100.99',
    ).catch((e) => e);
    expect(err).toBeInstanceOf(RateLimited);
    expect(err.retryAfterSeconds).toBeGreaterThan(0);
    expect(err.retryAfterSeconds).toBeLessThanOrEqual(RATE_LIMITS.signInPerEmail.windowSeconds);
    expect(await ctx.db.auditEvent.count({ where: { action: 'user.signin_failed' } })).toBeGreaterThanOrEqual(
      limit,
    );
  });

  it('refuses every token from an IP that presented too many bad ones', async () => {
    const ip = '198.51.100.200';
    for (let i = 0; i < RATE_LIMITS.tokenFailuresPerIp.limit; i++) {
      await expect(authenticateToken(ctx, 'plt_notarealtokennotarealtoken000', ip)).rejects.toBeInstanceOf(
        Unauthorized,
      );
    }
    await expect(authenticateToken(ctx, token, ip)).rejects.toBeInstanceOf(RateLimited);
    await expect(authenticateToken(ctx, token, '198.51.100.201')).resolves.toMatchObject({ kind: 'token' });
  });

  it('limits sign-ups per IP', async () => {
    const ip = '198.51.100.250';
    for (let i = 0; i < RATE_LIMITS.signUpPerIp.limit; i++) {
      await consumeRateLimit(ctx, RATE_LIMITS.signUpPerIp, ip);
    }
    await expect(
      signUp(ctx, { email: 'late@rate.test', password: PASSWORD, org: 'rate-late' }, ip),
    ).rejects.toBeInstanceOf(RateLimited);
    expect(await ctx.db.user.count({ where: { email: 'late@rate.test' } })).toBe(0);
  });

  it('starts a new window once the old one has passed', async () => {
    const rule = { name: 'test-window', limit: 1, windowSeconds: 1 };
    await consumeRateLimit(ctx, rule, 'x');
    await expect(consumeRateLimit(ctx, rule, 'x')).rejects.toBeInstanceOf(RateLimited);
    await new Promise((r) => setTimeout(r, 1100));
    await expect(consumeRateLimit(ctx, rule, 'x')).resolves.toBeUndefined();
  });
});

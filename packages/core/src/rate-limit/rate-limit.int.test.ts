// Brute-force limits against the real PostgreSQL: sign-in guessing slowed per account+source and per
// source without locking the owner out, failed token checks per source without refusing valid tokens,
// sign-ups per source, and tokens bounded by their creator's current role.
import { loadConfig } from '@pallet/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCredentials } from '../auth/verify-credentials';
import { type CoreContext, createCoreContext } from '../context/core-context';
import { RateLimited, Unauthorized } from '../errors/domain-errors';
import { signUp } from '../org/sign-up';
import { authenticateToken } from '../token/authenticate-token';
import { consumeRateLimit } from './consume-rate-limit';
import { rateLimitRules } from './rate-limits';

let ctx: CoreContext;
let token: string;
const PASSWORD = 'rate limited password';
const EMAIL = 'limits@rate.test';

beforeAll(async () => {
  ctx = createCoreContext(
    loadConfig({
      ...process.env,
      PALLET_LIMIT_SIGNIN_ACCOUNT_SOURCE: '3/15m',
      PALLET_LIMIT_SIGNIN_ACCOUNT: '8/15m',
      PALLET_LIMIT_SIGNIN_SOURCE: '6/15m',
      PALLET_LIMIT_TOKEN_FAILURES_SOURCE: '20/5m',
      PALLET_LIMIT_SIGNUP_SOURCE: '4/1h',
    }),
  );
  token = (await signUp(ctx, { email: EMAIL, password: PASSWORD, org: 'rate-int' }, '198.51.100.1')).token;
});

afterAll(async () => {
  await ctx.queues.close();
});

const wrong = (ip: string, email = EMAIL) =>
  verifyCredentials(ctx, { email, password: `wrong ${Math.random()}` }, ip).catch((e) => e);
const right = (ip: string) =>
  verifyCredentials(ctx, { email: EMAIL, password: PASSWORD }, ip).catch((e) => e);

describe('sign-in throttle', () => {
  it('signs in with the right password and records user.signin with the address', async () => {
    const user = await verifyCredentials(
      ctx,
      { email: 'LIMITS@rate.test', password: PASSWORD },
      '198.51.100.2',
    );
    expect(user.email).toBe(EMAIL);
    const event = await ctx.db.auditEvent.findFirst({
      where: { action: 'user.signin' },
      orderBy: { id: 'desc' },
    });
    expect(event).toMatchObject({ actor: EMAIL, ip: '198.51.100.2' });
  });

  it('makes one guessing source wait, growing, while the owner elsewhere signs in', async () => {
    const stranger = '198.51.100.10';
    for (let i = 0; i < 3; i++) expect(await wrong(stranger)).toBeInstanceOf(Unauthorized);
    expect(await wrong(stranger)).toBeInstanceOf(Unauthorized); // 4th: over the free 3, starts a 1 s wait
    const held = await right(stranger);
    expect(held).toBeInstanceOf(RateLimited); // even the right password waits: no guess is checked
    expect(held.retryAfterSeconds).toBe(1);
    expect(await right('198.51.100.11')).toMatchObject({ email: EMAIL });
    await new Promise((r) => setTimeout(r, 1100));
    expect(await wrong(stranger)).toBeInstanceOf(Unauthorized); // 5th: now a 2 s wait
    expect((await wrong(stranger)).retryAfterSeconds).toBe(2);
    expect(await ctx.db.auditEvent.count({ where: { action: 'user.signin_failed' } })).toBeGreaterThanOrEqual(
      5,
    );
  });

  it('answers unknown accounts exactly like known ones', async () => {
    const ip = '198.51.100.20';
    const ghost = 'nobody@rate.test';
    for (let i = 0; i < 4; i++) expect(await wrong(ip, ghost)).toBeInstanceOf(Unauthorized);
    expect(await wrong(ip, ghost)).toBeInstanceOf(RateLimited);
  });

  it('holds back a source spraying many accounts, but not the owner on a source they used before', async () => {
    const office = '198.51.100.30';
    expect(await right(office)).toMatchObject({ email: EMAIL }); // the owner signed in from here once
    for (let i = 0; i < 7; i++) await wrong(office, `victim${i}@rate.test`);
    expect(await wrong(office, 'another@rate.test')).toBeInstanceOf(RateLimited);
    expect(await right(office)).toMatchObject({ email: EMAIL });
  });

  it('takes the free attempts from new sources once an account is attacked from everywhere', async () => {
    const email = 'distributed@rate.test';
    await signUp(ctx, { email, password: PASSWORD, org: 'rate-dist' }, '198.51.100.40');
    for (let i = 0; i < 9; i++) await wrong(`203.0.113.${i + 1}`, email);
    // A new attacking address: its first failure already starts a wait.
    expect(await wrong('203.0.113.100', email)).toBeInstanceOf(Unauthorized);
    expect(await wrong('203.0.113.100', email)).toBeInstanceOf(RateLimited);
    // The owner from a clean address still gets straight in.
    expect(await verifyCredentials(ctx, { email, password: PASSWORD }, '198.51.100.41')).toMatchObject({
      email,
    });
  });
});

describe('token failures', () => {
  it('answers bad tokens 429 after the limit, yet a valid token from that source still works', async () => {
    const ip = '198.51.100.200';
    for (let i = 0; i < 20; i++) {
      await expect(authenticateToken(ctx, 'plt_notarealtokennotarealtoken000', ip)).rejects.toBeInstanceOf(
        Unauthorized,
      );
    }
    await expect(authenticateToken(ctx, 'plt_notarealtokennotarealtoken000', ip)).rejects.toBeInstanceOf(
      RateLimited,
    );
    await expect(authenticateToken(ctx, token, ip)).resolves.toMatchObject({ kind: 'token', ip });
  });
});

describe('sign-ups', () => {
  it('limits sign-ups per source', async () => {
    const ip = '198.51.100.250';
    for (let i = 0; i < 4; i++) await consumeRateLimit(ctx, rateLimitRules(ctx.config).signUpPerSource, ip);
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

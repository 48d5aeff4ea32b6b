// Password guessing is slowed down per (account, source) and per source with growing waits, never per
// account alone: a stranger's failures cannot lock the owner out. Once an account sees many failures
// from everywhere (a distributed attack), sources that never signed in to it lose their free attempts,
// while a source with no failures (or one the owner signed in from before) still gets straight in.
// Every key is the submitted email, whether or not the account exists, so answers reveal nothing.
import type { CoreContext } from '../context/core-context';
import {
  assertNotHeld,
  clearRateLimit,
  countRateLimit,
  holdUntil,
  peekRateLimit,
} from '../rate-limit/consume-rate-limit';
import { rateLimitRules, rateLimitSource } from '../rate-limit/rate-limits';

const PAIR_WAIT = 'signin:wait-pair';
const SOURCE_WAIT = 'signin:wait-source';
const KNOWN_SOURCE = { name: 'signin:known', limit: Number.MAX_SAFE_INTEGER, windowSeconds: 30 * 86400 };

function subjects(email: string, ip: string | undefined) {
  const source = rateLimitSource(ip);
  return { source, pair: `${email.trim().toLowerCase()}|${source}` };
}

/** 1 s, 2 s, 4 s … for the 1st, 2nd, 3rd … failure over the limit, up to the configured maximum. */
function waitSeconds(ctx: CoreContext, over: number): number {
  return Math.min(2 ** Math.min(over - 1, 30), ctx.config.rateLimits.signInMaxDelaySeconds);
}

/** Refuses (RateLimited, 429 with Retry-After) while this account+source or this source must wait. */
export async function assertSignInAllowed(ctx: CoreContext, email: string, ip: string | undefined) {
  const { source, pair } = subjects(email, ip);
  await assertNotHeld(ctx, PAIR_WAIT, pair);
  // A source the owner signed in from before is not held back by others' failures from the same place.
  if (!(await peekRateLimit(ctx, KNOWN_SOURCE, pair))) await assertNotHeld(ctx, SOURCE_WAIT, source);
}

/** Counts a wrong password and starts (or lengthens) the waits it has earned. */
export async function recordSignInFailure(ctx: CoreContext, email: string, ip: string | undefined) {
  const rules = rateLimitRules(ctx.config);
  const { source, pair } = subjects(email, ip);
  const [perPair, perAccount, perSource, known] = await Promise.all([
    countRateLimit(ctx, rules.signInPerAccountSource, pair),
    countRateLimit(ctx, rules.signInPerAccount, email.trim().toLowerCase()),
    countRateLimit(ctx, rules.signInPerSource, source),
    peekRateLimit(ctx, KNOWN_SOURCE, pair),
  ]);
  const underAttack = perAccount.count > rules.signInPerAccount.limit && !known;
  const pairOver = perPair.count - (underAttack ? 0 : rules.signInPerAccountSource.limit);
  if (pairOver > 0) await holdUntil(ctx, PAIR_WAIT, pair, waitSeconds(ctx, pairOver));
  const sourceOver = perSource.count - rules.signInPerSource.limit;
  if (sourceOver > 0) await holdUntil(ctx, SOURCE_WAIT, source, waitSeconds(ctx, sourceOver));
}

/** A right password clears this pair's failures and remembers the source as known for the account. */
export async function recordSignInSuccess(ctx: CoreContext, email: string, ip: string | undefined) {
  const rules = rateLimitRules(ctx.config);
  const { pair } = subjects(email, ip);
  await clearRateLimit(ctx, [rules.signInPerAccountSource.name, PAIR_WAIT, KNOWN_SOURCE.name], pair);
  await countRateLimit(ctx, KNOWN_SOURCE, pair);
}

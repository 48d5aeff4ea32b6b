// Counts attempts against a RateLimitBucket row with one atomic upsert. `consumeRateLimit` answers
// RateLimited (429 with Retry-After) once a key has used up its window; `countRateLimit` only counts.
// A bucket can also hold a wait (`holdUntil`): its resetAt is then the moment the wait ends.
import type { CoreContext } from '../context/core-context';
import { RateLimited } from '../errors/domain-errors';
import type { RateLimitRule } from './rate-limits';

function bucketKey(rule: Pick<RateLimitRule, 'name'>, subject: string): string {
  return `${rule.name}:${subject.toLowerCase()}`;
}

function secondsUntil(at: Date): number {
  return Math.max(1, Math.ceil((at.getTime() - Date.now()) / 1000));
}

/** Counts one attempt and returns the count in the current window and when that window ends. */
export async function countRateLimit(
  ctx: CoreContext,
  rule: RateLimitRule,
  subject: string,
): Promise<{ count: number; resetAt: Date }> {
  const key = bucketKey(rule, subject);
  // The column is `timestamp without time zone` holding UTC, as Prisma writes it.
  const rows = await ctx.db.$queryRaw<{ count: number; resetAt: Date }[]>`
    INSERT INTO "RateLimitBucket" AS b ("key", "count", "resetAt")
    VALUES (${key}, 1, (now() AT TIME ZONE 'UTC') + ${rule.windowSeconds}::int * interval '1 second')
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN b."resetAt" <= (now() AT TIME ZONE 'UTC') THEN 1 ELSE b."count" + 1 END,
      "resetAt" = CASE WHEN b."resetAt" <= (now() AT TIME ZONE 'UTC')
        THEN (now() AT TIME ZONE 'UTC') + ${rule.windowSeconds}::int * interval '1 second' ELSE b."resetAt" END
    RETURNING "count", "resetAt"`;
  return rows[0]!;
}

/** Counts one attempt; throws RateLimited when this attempt goes over the limit. */
export async function consumeRateLimit(
  ctx: CoreContext,
  rule: RateLimitRule,
  subject: string,
): Promise<void> {
  const row = await countRateLimit(ctx, rule, subject);
  if (row.count > rule.limit) throw new RateLimited(secondsUntil(row.resetAt));
}

/** The current count of a bucket (0 once its window has passed). */
export async function peekRateLimit(ctx: CoreContext, rule: Pick<RateLimitRule, 'name'>, subject: string) {
  const row = await ctx.db.rateLimitBucket.findUnique({ where: { key: bucketKey(rule, subject) } });
  return row && row.resetAt > new Date() ? row : null;
}

/** Makes a subject wait `seconds` from now (never shortens a longer wait already running). */
export async function holdUntil(
  ctx: CoreContext,
  name: string,
  subject: string,
  seconds: number,
): Promise<void> {
  const key = bucketKey({ name }, subject);
  await ctx.db.$executeRaw`
    INSERT INTO "RateLimitBucket" AS b ("key", "count", "resetAt")
    VALUES (${key}, 1, (now() AT TIME ZONE 'UTC') + ${seconds}::int * interval '1 second')
    ON CONFLICT ("key") DO UPDATE SET "count" = b."count" + 1,
      "resetAt" = GREATEST(b."resetAt", (now() AT TIME ZONE 'UTC') + ${seconds}::int * interval '1 second')`;
}

/** Throws RateLimited while a wait set by holdUntil is running. */
export async function assertNotHeld(ctx: CoreContext, name: string, subject: string): Promise<void> {
  const row = await peekRateLimit(ctx, { name }, subject);
  if (row) throw new RateLimited(secondsUntil(row.resetAt));
}

export async function clearRateLimit(ctx: CoreContext, names: string[], subject: string): Promise<void> {
  await ctx.db.rateLimitBucket.deleteMany({
    where: { key: { in: names.map((name) => bucketKey({ name }, subject)) } },
  });
}

/** Removes expired buckets (called now and then by the worker's housekeeping). */
export async function pruneRateLimitBuckets(ctx: CoreContext): Promise<number> {
  const r = await ctx.db.rateLimitBucket.deleteMany({ where: { resetAt: { lt: new Date() } } });
  return r.count;
}

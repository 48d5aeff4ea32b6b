// Counts attempts against a RateLimitBucket row with one atomic upsert and answers RateLimited (429 with
// Retry-After) once a key has used up its window. `peek` refuses without counting.
import type { CoreContext } from '../context/core-context';
import { RateLimited } from '../errors/domain-errors';
import type { RateLimitRule } from './rate-limits';

function bucketKey(rule: RateLimitRule, subject: string): string {
  return `${rule.name}:${subject.toLowerCase()}`;
}

function retryAfter(resetAt: Date): number {
  return Math.max(1, Math.ceil((resetAt.getTime() - Date.now()) / 1000));
}

/** Throws RateLimited when the subject has already used up this window (does not count). */
export async function assertWithinRateLimit(
  ctx: CoreContext,
  rule: RateLimitRule,
  subject: string | undefined,
): Promise<void> {
  if (!subject) return;
  const row = await ctx.db.rateLimitBucket.findUnique({ where: { key: bucketKey(rule, subject) } });
  if (row && row.resetAt > new Date() && row.count >= rule.limit)
    throw new RateLimited(retryAfter(row.resetAt));
}

/** Counts one attempt; throws RateLimited when this attempt goes over the limit. */
export async function consumeRateLimit(
  ctx: CoreContext,
  rule: RateLimitRule,
  subject: string | undefined,
): Promise<void> {
  if (!subject) return;
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
  const row = rows[0];
  if (row && row.count > rule.limit) throw new RateLimited(retryAfter(row.resetAt));
}

/** Removes expired buckets (called now and then by the worker's housekeeping). */
export async function pruneRateLimitBuckets(ctx: CoreContext): Promise<number> {
  const r = await ctx.db.rateLimitBucket.deleteMany({ where: { resetAt: { lt: new Date() } } });
  return r.count;
}

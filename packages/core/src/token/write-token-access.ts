// Adds a batch of token access rows (per token, minute and client address: request count and up to
// ten file paths) to TokenAccess in one statement.
import type { CoreContext } from '../context/core-context';
import { ACCESS_FILES_PER_ROW, type TokenAccessRow } from '../download/download-recorder';

export async function writeTokenAccess(ctx: CoreContext, rows: TokenAccessRow[]): Promise<void> {
  if (rows.length === 0) return;
  // Paths never contain a newline (resolve-download.ts allows [A-Za-z0-9._+~-] per segment).
  await ctx.db.$executeRaw`
    INSERT INTO "TokenAccess" ("tokenId", "minute", "ip", "requests", "files")
    SELECT u.tok, u.m, u.ip, u.n, string_to_array(u.f, E'\n') FROM unnest(
      ${rows.map((r) => r.tokenId)}::text[], ${rows.map((r) => r.minute)}::timestamp[],
      ${rows.map((r) => r.ip)}::text[], ${rows.map((r) => r.requests)}::int[],
      ${rows.map((r) => [...r.files].join('\n'))}::text[]) AS u(tok, m, ip, n, f)
    WHERE EXISTS (SELECT 1 FROM "ApiToken" t WHERE t.id = u.tok)
    ON CONFLICT ("tokenId", "minute", "ip") DO UPDATE SET
      "requests" = "TokenAccess"."requests" + EXCLUDED."requests",
      "files" = (SELECT coalesce(array_agg(f), '{}') FROM (
                  SELECT DISTINCT f FROM unnest("TokenAccess"."files" || EXCLUDED."files") f
                  LIMIT ${ACCESS_FILES_PER_ROW}) s)`;
}

/** Drops access rows older than the retention (the worker's sweep). */
export async function pruneTokenAccess(ctx: CoreContext): Promise<number> {
  const before = new Date(Date.now() - ctx.config.access.retentionDays * 86_400_000);
  const { count } = await ctx.db.tokenAccess.deleteMany({ where: { minute: { lt: before } } });
  return count;
}

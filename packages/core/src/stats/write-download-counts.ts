// Adds a batch of download counts to DownloadCount in one statement (one row per hour, package file and token).
import type { CoreContext } from '../context/core-context';
import type { DownloadCountRow } from '../download/download-recorder';

export async function writeDownloadCounts(ctx: CoreContext, rows: DownloadCountRow[]): Promise<void> {
  if (rows.length === 0) return;
  await ctx.db.$executeRaw`
    INSERT INTO "DownloadCount" ("hour", "repositoryId", "distribution", "packageName", "version", "architecture", "tokenId", "count")
    SELECT u.h, u.repo, u.dist, u.pkg, u.ver, u.arch, u.tok, u.n FROM unnest(
      ${rows.map((r) => r.hour)}::timestamp[], ${rows.map((r) => r.repositoryId)}::text[],
      ${rows.map((r) => r.distribution)}::text[], ${rows.map((r) => r.name)}::text[],
      ${rows.map((r) => r.version)}::text[], ${rows.map((r) => r.architecture)}::text[],
      ${rows.map((r) => r.tokenId)}::text[], ${rows.map((r) => r.count)}::int[]) AS u(h, repo, dist, pkg, ver, arch, tok, n)
    -- a repository deleted meanwhile: its counts go with it
    WHERE EXISTS (SELECT 1 FROM "Repository" r WHERE r.id = u.repo)
    ON CONFLICT ("hour", "repositoryId", "distribution", "packageName", "version", "architecture", "tokenId")
    DO UPDATE SET "count" = "DownloadCount"."count" + EXCLUDED."count"`;
}

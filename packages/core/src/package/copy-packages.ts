// Copies or moves every live package of a distribution matching a query (name, version, architecture)
// into a target, in one transaction: all or nothing, except that packages whose identity the target
// already holds with other content are skipped and reported.
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import type { CoreContext } from '../context/core-context';
import { findDistribution } from '../distribution/find-distribution';
import { Conflict, InvalidRequest } from '../errors/domain-errors';
import {
  afterCopy,
  authorizeCopy,
  type CopiedRow,
  type CopyMode,
  copyPackageRow,
  copyTargetInput,
} from './copy-package';
import type { PackageView } from './package-view';

/** A bulk request names at most this many packages; narrow the query for more. */
export const MAX_BULK_COPY = 500;

export const copyPackagesInput = copyTargetInput
  .extend({
    query: z
      .object({
        distribution: z.string().min(1, 'query.distribution is required'),
        name: z.string().min(1).max(200).optional(),
        version: z.string().min(1).max(200).optional(),
        architecture: z.string().min(1).max(64).optional(),
      })
      .strict(),
  })
  .strict();

export interface BulkCopyResult {
  items: PackageView[];
  skipped: { id: string; name: string; version: string; architecture: string; reason: string }[];
}

export async function copyPackages(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  raw: unknown,
  mode: CopyMode,
): Promise<BulkCopyResult> {
  const parsed = copyPackagesInput.safeParse(raw);
  if (!parsed.success) throw new InvalidRequest(parsed.error.issues[0]?.message ?? 'Invalid copy request.');
  const { query, ...target } = parsed.data;
  const ends = await authorizeCopy(ctx, actor, orgSlug, repoSlug, target, mode);
  const from = await findDistribution(ctx.db, ends.source.repository.id, query.distribution);
  const { rows, result } = await ctx.db.$transaction(
    async (tx) => {
      const matching = await tx.package.findMany({
        where: {
          distributionId: from.id,
          status: 'PUBLISHED',
          ...(query.name ? { name: query.name } : {}),
          ...(query.version ? { version: query.version } : {}),
          ...(query.architecture ? { architecture: query.architecture } : {}),
        },
        orderBy: [{ name: 'asc' }, { version: 'asc' }, { architecture: 'asc' }],
        take: MAX_BULK_COPY + 1,
      });
      if (matching.length > MAX_BULK_COPY)
        throw new InvalidRequest(
          `The query matches more than ${MAX_BULK_COPY} packages; narrow it.`,
          'too_many',
        );
      const rows: CopiedRow[] = [];
      const result: BulkCopyResult = { items: [], skipped: [] };
      for (const pkg of matching) {
        try {
          const row = await copyPackageRow(tx, actor, pkg, ends.source.repository, ends.target, target, mode);
          rows.push(row);
          result.items.push(row.view);
        } catch (err) {
          if (!(err instanceof Conflict)) throw err;
          result.skipped.push({
            id: pkg.id,
            name: pkg.name,
            version: pkg.version,
            architecture: pkg.architecture,
            reason: err.message,
          });
        }
      }
      return { rows, result };
    },
    { timeout: 60_000 },
  );
  for (const row of rows) await afterCopy(ctx, row);
  return result;
}

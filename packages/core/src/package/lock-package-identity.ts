// Changes to one package identity in one distribution (uploads, CI retries, copies and moves into it)
// take turns: without this, two first writers both find no live row and the second insert fails on the
// unique key instead of answering 200 or 409.
import { Prisma } from '@pallet/db';

/** First key of the two-key advisory locks that serialize writes of one package identity. */
const IDENTITY_LOCK_SPACE = 4201;

export interface PackageIdentity {
  name: string;
  version: string;
  architecture: string;
}

/**
 * The SQL expression that takes the identity's transaction-scoped lock (waiting for its holder):
 * ensureDistribution evaluates it in the statement that reads the distribution, so the lock costs no
 * round trip of its own. Whatever the transaction reads after that statement, it reads under the lock.
 */
export function packageIdentityLock(
  repositoryId: string,
  distribution: string,
  id: PackageIdentity,
): Prisma.Sql {
  const identity = `${repositoryId}:${distribution}:${id.name}:${id.version}:${id.architecture}`;
  return Prisma.sql`pg_advisory_xact_lock(${IDENTITY_LOCK_SPACE}::int4, hashtext(${identity}))`;
}

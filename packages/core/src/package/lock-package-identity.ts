// Changes to one package identity in one distribution (uploads, CI retries, copies and moves into it)
// take turns: without this, two first writers both find no live row and the second insert fails on the
// unique key instead of answering 200 or 409.
import type { Tx } from '@pallet/db';

/** First key of the two-key advisory locks that serialize writes of one package identity. */
const IDENTITY_LOCK_SPACE = 4201;

export async function lockPackageIdentity(
  tx: Tx,
  repositoryId: string,
  distribution: string,
  id: { name: string; version: string; architecture: string },
): Promise<void> {
  const identity = `${repositoryId}:${distribution}:${id.name}:${id.version}:${id.architecture}`;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${IDENTITY_LOCK_SPACE}::int4, hashtext(${identity}))`;
}

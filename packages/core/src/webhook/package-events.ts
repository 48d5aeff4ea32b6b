// The package and publication events core emits (package.published/failed/deleted, publication.switched),
// with one payload shape for all of them.
import type { Tx } from '@pallet/db';
import { emitWebhookEvents } from './emit-webhook-event';
import type { WebhookEvent } from './webhook-events';

interface PackageRow {
  id: string;
  name: string;
  version: string;
  architecture: string;
  format: string;
  filename: string | null;
}

const PACKAGE_FIELDS = {
  id: true,
  name: true,
  version: true,
  architecture: true,
  format: true,
  filename: true,
} as const;

export function packagePayload(
  where: { repository: string; distribution: string },
  p: PackageRow,
  extra: Record<string, string | null> = {},
) {
  return {
    repository: where.repository,
    distribution: where.distribution,
    package: {
      id: p.id,
      name: p.name,
      version: p.version,
      architecture: p.architecture,
      format: p.format.toLowerCase(),
      filename: p.filename,
    },
    ...extra,
  };
}

async function subscribes(tx: Tx, orgId: string, event: WebhookEvent): Promise<boolean> {
  return (await tx.webhook.count({ where: { orgId, events: { has: event } } })) > 0;
}

/** package.published for each id; the rows are read only when some webhook wants them. */
export async function emitPackagesPublished(
  tx: Tx,
  where: { orgId: string; repository: string; distribution: string },
  packageIds: string[],
): Promise<void> {
  if (packageIds.length === 0 || !(await subscribes(tx, where.orgId, 'package.published'))) return;
  const rows = await tx.package.findMany({ where: { id: { in: packageIds } }, select: PACKAGE_FIELDS });
  await emitWebhookEvents(
    tx,
    where.orgId,
    rows.map((p) => ({ event: 'package.published' as const, payload: packagePayload(where, p) })),
  );
}

/** package.failed / package.deleted for one package row (read with its repository and distribution). */
export async function emitPackageEvent(
  tx: Tx,
  event: 'package.failed' | 'package.deleted',
  packageId: string,
  extra: Record<string, string | null> = {},
): Promise<void> {
  const p = await tx.package.findUnique({
    where: { id: packageId },
    select: {
      ...PACKAGE_FIELDS,
      repository: { select: { orgId: true, slug: true } },
      distribution: { select: { name: true } },
    },
  });
  if (!p) return;
  await emitWebhookEvents(tx, p.repository.orgId, [
    {
      event,
      payload: packagePayload({ repository: p.repository.slug, distribution: p.distribution.name }, p, extra),
    },
  ]);
}

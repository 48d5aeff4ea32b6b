'use client';
// Confirmation buttons for the release life cycle: freeze/unfreeze, yank, restore.
import { Ban, History, Snowflake } from 'lucide-react';
import type { ReactNode } from 'react';
import { ConfirmAction } from '@/components/confirm-action';
import { restorePublicationAction, setFrozenAction, yankPackageAction } from './lifecycle-actions';

export function FreezeButton(props: {
  org: string;
  repo: string;
  distribution: string;
  format: 'deb' | 'rpm';
  frozen: boolean;
}) {
  const { org, repo, distribution, format, frozen } = props;
  return (
    <ConfirmAction
      trigger={
        <>
          <Snowflake size={14} aria-hidden="true" /> {frozen ? 'Unfreeze' : 'Freeze'}
        </>
      }
      triggerLabel={`${frozen ? 'Unfreeze' : 'Freeze'} ${distribution}`}
      triggerVariant="secondary"
      title={`${frozen ? 'Unfreeze' : 'Freeze'} ${distribution}?`}
      description={
        frozen
          ? 'Uploads, deletions, copies and restores are accepted again.'
          : 'Uploads, deletions, copies and restores are refused (HTTP 423) until it is unfrozen. Machines keep installing from it.'
      }
      confirmLabel={frozen ? 'Unfreeze' : 'Freeze'}
      action={() => setFrozenAction(org, repo, distribution, format, !frozen)}
    />
  );
}

export function YankButton({
  org,
  repo,
  id,
  label,
}: {
  org: string;
  repo: string;
  id: string;
  label: string;
}) {
  return (
    <ConfirmAction
      trigger={<Ban size={14} aria-hidden="true" />}
      triggerLabel={`Yank ${label}`}
      triggerVariant="ghost"
      title={`Yank ${label}?`}
      description="It leaves the indexes at the next publication, but its file stays downloadable for the retention period, so machines pinned to this version keep working. A restore does not bring it back."
      confirmLabel="Yank version"
      pendingLabel="Yanking…"
      action={() => yankPackageAction(org, repo, id)}
    />
  );
}

export function RestoreButton({
  org,
  repo,
  id,
  summary,
}: {
  org: string;
  repo: string;
  id: string;
  summary: ReactNode;
}) {
  return (
    <ConfirmAction
      trigger={
        <>
          <History size={14} aria-hidden="true" /> Restore
        </>
      }
      triggerLabel="Restore this publication"
      triggerVariant="primary"
      title="Restore this publication?"
      description={summary}
      confirmLabel="Restore"
      pendingLabel="Restoring…"
      action={() => restorePublicationAction(org, repo, id)}
    />
  );
}

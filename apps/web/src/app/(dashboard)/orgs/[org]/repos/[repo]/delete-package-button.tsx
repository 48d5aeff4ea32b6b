'use client';
// Deletes a package after confirmation; the next publication drops it from the indexes.
import { Trash2 } from 'lucide-react';
import { ConfirmAction } from '@/components/confirm-action';
import { deletePackageAction } from './actions';

export function DeletePackageButton({
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
      trigger={<Trash2 size={14} aria-hidden="true" />}
      triggerLabel={`Delete ${label}`}
      triggerVariant="ghost"
      title={`Delete ${label}?`}
      description="It disappears from the indexes at the next publication, in a few seconds. Machines that already installed it keep their copy."
      confirmLabel="Delete package"
      pendingLabel="Deleting…"
      action={() => deletePackageAction(org, repo, id)}
    />
  );
}

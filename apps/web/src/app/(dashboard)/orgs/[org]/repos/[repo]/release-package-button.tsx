'use client';
// Releases a quarantined package after confirmation; it is published with the next publication.
import { ConfirmAction } from '@/components/confirm-action';
import { releasePackageAction } from './actions';

export function ReleasePackageButton({
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
      trigger="Release"
      triggerLabel={`Release ${label}`}
      triggerVariant="secondary"
      title={`Release ${label}?`}
      description="The upload policy held this package back. Released, it joins the indexes at the next publication."
      confirmLabel="Release package"
      pendingLabel="Releasing…"
      action={() => releasePackageAction(org, repo, id)}
    />
  );
}

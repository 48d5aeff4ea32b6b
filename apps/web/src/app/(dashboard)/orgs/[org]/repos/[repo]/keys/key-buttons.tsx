'use client';
// Buttons of the Keys tab: rotate (a transition with both keys), retire (end it), revoke (compromise).
import { Archive, Ban, RefreshCw } from 'lucide-react';
import { useState } from 'react';
import { ConfirmAction } from '@/components/confirm-action';
import { retireKeyAction, revokeKeyAction, rotateKeyAction } from './actions';

export function RotateKeyButton({ org, repo, disabled }: { org: string; repo: string; disabled: boolean }) {
  if (disabled) return null;
  return (
    <ConfirmAction
      trigger={
        <>
          <RefreshCw size={14} aria-hidden="true" /> Rotate key
        </>
      }
      triggerLabel="Rotate key"
      triggerVariant="secondary"
      title="Rotate to a new signing key?"
      description="A new key becomes active and the current one retiring. Every distribution is republished signed by both, so machines holding either key keep working; the keyring package gets both keys. Retire the old key once your machines have upgraded it."
      confirmLabel="Rotate"
      pendingLabel="Generating…"
      action={() => rotateKeyAction(org, repo)}
    />
  );
}

export function RetireKeyButton({
  org,
  repo,
  fingerprint,
}: {
  org: string;
  repo: string;
  fingerprint: string;
}) {
  return (
    <ConfirmAction
      trigger={<Archive size={14} aria-hidden="true" />}
      triggerLabel={`Retire key ${fingerprint}`}
      triggerVariant="ghost"
      title="Retire this key?"
      description="It leaves the served keyrings now; every rpm is re-signed with the active key and every distribution republished without it. Machines that only trust this key stop verifying the repository."
      confirmLabel="Retire key"
      pendingLabel="Retiring…"
      action={() => retireKeyAction(org, repo, fingerprint)}
    />
  );
}

export function RevokeKeyButton({
  org,
  repo,
  fingerprint,
}: {
  org: string;
  repo: string;
  fingerprint: string;
}) {
  const [reason, setReason] = useState('');
  return (
    <ConfirmAction
      trigger={<Ban size={14} aria-hidden="true" />}
      triggerLabel={`Revoke key ${fingerprint}`}
      triggerVariant="ghost"
      title="Revoke this key (compromise)?"
      description={
        <>
          The key is destroyed and leaves every keyring, its revocation certificate is published, a new key
          replaces it if it is the active one, and everything is re-signed. This cannot be undone.
          <label className="mt-3 block text-sm font-medium text-slate-800">
            Reason
            <input
              className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
              value={reason}
              maxLength={500}
              onChange={(e) => setReason(e.target.value)}
              placeholder="e.g. key copied off a build machine"
            />
          </label>
        </>
      }
      confirmLabel="Revoke key"
      pendingLabel="Revoking…"
      action={() => revokeKeyAction(org, repo, fingerprint, reason)}
    />
  );
}

'use client';
// The upload policy form: one rule of each kind, each refusing the upload or quarantining the package.
import type { PolicyRule } from '@pallet/core';
import { useActionState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Input, Label, Select, Textarea } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { type PolicyFormState, savePolicyAction } from './actions';

function ActionSelect({ id, value, disabled }: { id: string; value?: string; disabled: boolean }) {
  return (
    <div className="space-y-1">
      <Label htmlFor={id}>Then</Label>
      <Select id={id} name={id} defaultValue={value ?? 'refuse'} disabled={disabled}>
        <option value="refuse">refuse the upload (422)</option>
        <option value="quarantine">quarantine until an admin releases it</option>
      </Select>
    </div>
  );
}

export function PolicyForm({
  org,
  repo,
  rules,
  canEdit,
}: {
  org: string;
  repo: string;
  rules: PolicyRule[];
  canEdit: boolean;
}) {
  const [state, action] = useActionState<PolicyFormState, FormData>(
    savePolicyAction.bind(null, org, repo),
    null,
  );
  const vuln = rules.find((r) => r.kind === 'vulnerability');
  const license = rules.find((r) => r.kind === 'license');
  const name = rules.find((r) => r.kind === 'name');
  const unsigned = rules.find((r) => r.kind === 'unsigned-rpm');
  const off = !canEdit;
  return (
    <form action={action} className="space-y-6" aria-label="Upload policy">
      {state ? <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert> : null}
      <fieldset className="grid gap-3 sm:grid-cols-2" disabled={off}>
        <legend className="mb-2 text-sm font-medium text-slate-800">Known vulnerabilities</legend>
        <div className="space-y-1">
          <Label htmlFor="minSeverity">At or above</Label>
          <Select id="minSeverity" name="minSeverity" defaultValue={vuln?.minSeverity ?? ''}>
            <option value="">no rule</option>
            <option value="critical">critical</option>
            <option value="high">high</option>
            <option value="medium">medium</option>
            <option value="low">low</option>
          </Select>
        </div>
        <ActionSelect id="vulnerabilityAction" value={vuln?.action} disabled={off} />
      </fieldset>
      <fieldset className="grid gap-3 sm:grid-cols-2" disabled={off}>
        <legend className="mb-2 text-sm font-medium text-slate-800">Licenses</legend>
        <div className="space-y-1">
          <Label htmlFor="licenseAllow">Allowed (SPDX ids, comma or space separated)</Label>
          <Textarea
            id="licenseAllow"
            name="licenseAllow"
            rows={2}
            defaultValue={license?.allow.join(', ') ?? ''}
            placeholder="MIT, Apache-2.0, GPL-2.0-only"
          />
        </div>
        <ActionSelect id="licenseAction" value={license?.action} disabled={off} />
      </fieldset>
      <fieldset className="grid gap-3 sm:grid-cols-2" disabled={off}>
        <legend className="mb-2 text-sm font-medium text-slate-800">Package names</legend>
        <div className="space-y-1">
          <Label htmlFor="namePattern">Matching (glob: * and ?)</Label>
          <Input
            id="namePattern"
            name="namePattern"
            defaultValue={name?.pattern ?? ''}
            placeholder="*-debug"
          />
        </div>
        <ActionSelect id="nameAction" value={name?.action} disabled={off} />
      </fieldset>
      <fieldset className="grid gap-3 sm:grid-cols-2" disabled={off}>
        <legend className="mb-2 text-sm font-medium text-slate-800">Signatures</legend>
        <div className="flex items-center gap-2">
          <input
            type="checkbox"
            id="unsignedRpm"
            name="unsignedRpm"
            defaultChecked={unsigned !== undefined}
            className="size-4 accent-indigo-600"
          />
          <Label htmlFor="unsignedRpm">rpm uploads without a signature</Label>
        </div>
        <ActionSelect id="unsignedAction" value={unsigned?.action} disabled={off} />
      </fieldset>
      {canEdit ? <SubmitButton pendingText="Saving…">Save policy</SubmitButton> : null}
    </form>
  );
}

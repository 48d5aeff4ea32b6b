'use client';
// Invites someone by link (optionally bound to an email); the link is shown once, with a copy button.
import { useActionState } from 'react';
import { Alert } from '@/components/ui/alert';
import { CopyButton } from '@/components/ui/copy-button';
import { Field, Input, Select } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { createInvitationAction, type InviteState } from './actions';
import { ROLES } from './role-form';

export function InviteForm({ org, canInviteOwner }: { org: string; canInviteOwner: boolean }) {
  const [state, action] = useActionState<InviteState, FormData>(createInvitationAction.bind(null, org), null);
  return (
    <div className="space-y-4">
      {state?.ok ? (
        <div
          role="status"
          key={state.at}
          className="rounded-md border border-green-300 bg-green-50 p-3.5 text-sm text-green-950"
        >
          <p className="font-semibold">
            Invitation created{state.email ? ` for ${state.email}` : ''} as {state.role}. Send this link; it
            is not shown again.
          </p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code
              data-testid="invitation-url"
              className="rounded bg-white px-2 py-1 text-xs break-all ring-1 ring-green-300"
            >
              {state.url}
            </code>
            <CopyButton text={state.url} label="invitation link" />
          </div>
        </div>
      ) : null}
      {state && !state.ok ? <Alert tone="error">{state.error}</Alert> : null}
      <form action={action} className="space-y-4">
        <Field
          id="invite-email"
          label="Email (optional)"
          hint="Only this address can accept; leave empty for anyone with the link."
        >
          <Input id="invite-email" name="email" type="email" aria-describedby="invite-email-hint" />
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="invite-role" label="Role">
            <Select id="invite-role" name="role" defaultValue="viewer">
              {ROLES.filter((r) => canInviteOwner || r !== 'owner').map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </Select>
          </Field>
          <Field id="invite-days" label="Valid for">
            <Select id="invite-days" name="expiresInDays" defaultValue="7">
              <option value="1">1 day</option>
              <option value="7">7 days</option>
              <option value="30">30 days</option>
            </Select>
          </Field>
        </div>
        <SubmitButton pendingText="Creating invitation…">Create invitation link</SubmitButton>
      </form>
    </div>
  );
}

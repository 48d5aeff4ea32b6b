'use client';
// The create-org form; a plain form post when JavaScript is off.
import { useActionState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Field, Input } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { type CreateOrgState, createOrgAction } from './actions';

export function CreateOrgForm() {
  const [state, action] = useActionState<CreateOrgState, FormData>(createOrgAction, null);
  return (
    <form action={action} className="space-y-5">
      {state?.error ? <Alert tone="error">{state.error}</Alert> : null}
      <Field id="slug" label="URL name" hint="Lowercase letters, digits and dashes; it appears in every URL.">
        <Input
          id="slug"
          name="slug"
          required
          pattern="[a-z0-9][a-z0-9\-]{0,62}"
          autoCapitalize="none"
          spellCheck={false}
          defaultValue={state?.slug}
          aria-describedby="slug-hint"
        />
      </Field>
      <Field id="org-name" label="Display name (optional)">
        <Input id="org-name" name="name" maxLength={100} defaultValue={state?.name} />
      </Field>
      <SubmitButton pendingText="Creating org…">Create org</SubmitButton>
    </form>
  );
}

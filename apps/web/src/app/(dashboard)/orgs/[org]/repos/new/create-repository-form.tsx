'use client';
// The create-repository form; works as a plain form post when JavaScript is off.
import { useActionState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Field, Input, Label, Select, Textarea } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { type CreateRepositoryState, createRepositoryAction } from './actions';

export function CreateRepositoryForm({ org }: { org: string }) {
  const [state, action] = useActionState<CreateRepositoryState, FormData>(
    createRepositoryAction.bind(null, org),
    null,
  );
  const v = state?.values;
  return (
    <form action={action} className="space-y-5">
      {state?.error ? <Alert tone="error">{state.error}</Alert> : null}
      <Field
        id="name"
        label="Name"
        hint="Lowercase letters, digits and dashes; part of every repository URL."
      >
        <Input
          id="name"
          name="name"
          required
          pattern="[a-z0-9][a-z0-9\-]{0,62}"
          autoCapitalize="none"
          spellCheck={false}
          defaultValue={v?.name}
          aria-describedby="name-hint"
          placeholder="tools"
        />
      </Field>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Visibility</legend>
        {(
          [
            ['private', 'Private', 'Machines need a read token to install from it.'],
            ['public', 'Public', 'Anyone with the URL can install from it.'],
          ] as const
        ).map(([value, title, text]) => (
          <div key={value} className="flex items-start gap-2.5 rounded-md border border-slate-200 p-3">
            <input
              type="radio"
              id={`visibility-${value}`}
              name="visibility"
              value={value}
              defaultChecked={(v?.visibility ?? 'private') === value}
              className="mt-0.5 size-4 accent-indigo-600"
              aria-describedby={`visibility-${value}-hint`}
            />
            <div>
              <Label htmlFor={`visibility-${value}`}>{title}</Label>
              <p id={`visibility-${value}-hint`} className="text-xs text-slate-600">
                {text}
              </p>
            </div>
          </div>
        ))}
      </fieldset>
      <Field id="description" label="Description (optional)">
        <Textarea
          id="description"
          name="description"
          rows={2}
          maxLength={500}
          defaultValue={v?.description}
        />
      </Field>
      <Field
        id="keyAlgorithm"
        label="Signing key"
        hint="Pallet generates the key; RSA 4096 works with every apt and rpm."
      >
        <Select
          id="keyAlgorithm"
          name="keyAlgorithm"
          defaultValue={v?.keyAlgorithm ?? 'rsa4096'}
          aria-describedby="keyAlgorithm-hint"
        >
          <option value="rsa4096">RSA 4096 (widest support)</option>
          <option value="ed25519">Ed25519 (newer clients only)</option>
        </Select>
      </Field>
      <SubmitButton pendingText="Creating repository…">Create repository</SubmitButton>
    </form>
  );
}

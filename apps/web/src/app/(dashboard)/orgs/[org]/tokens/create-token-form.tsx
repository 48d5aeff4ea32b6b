'use client';
// Creates a token with scopes, an optional repository list and expiry; shows the secret exactly once.
import { KeyRound } from 'lucide-react';
import { useActionState } from 'react';
import { Alert } from '@/components/ui/alert';
import { CopyButton } from '@/components/ui/copy-button';
import { Field, Input } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { type CreateTokenState, createTokenAction } from './actions';

const SCOPES = [
  ['repo:read', 'Read', 'Install from private repositories and read metadata.'],
  ['repo:write', 'Write', 'Upload and delete packages (CI).'],
  ['org:admin', 'Admin', 'Everything in the org, including tokens.'],
] as const;

export function CreateTokenForm({ org, repos }: { org: string; repos: string[] }) {
  const [state, action] = useActionState<CreateTokenState, FormData>(createTokenAction.bind(null, org), null);
  return (
    <div className="space-y-4">
      {state?.ok ? (
        <div
          role="status"
          className="rounded-md border border-green-300 bg-green-50 p-3.5 text-sm text-green-950"
          key={state.at}
        >
          <p className="font-semibold">Token “{state.name}” created. Copy it now: it is not shown again.</p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code
              data-testid="token-secret"
              className="rounded bg-white px-2 py-1 text-xs break-all ring-1 ring-green-300"
            >
              {state.secret}
            </code>
            <CopyButton text={state.secret} label="token" />
          </div>
        </div>
      ) : null}
      {state && !state.ok ? <Alert tone="error">{state.error}</Alert> : null}
      <form action={action} className="space-y-4">
        <Field id="token-name" label="Name" hint="What uses it: a CI job, a fleet, a customer.">
          <Input
            id="token-name"
            name="name"
            required
            maxLength={100}
            placeholder="ci-deploy"
            aria-describedby="token-name-hint"
          />
        </Field>
        <fieldset>
          <legend className="text-sm font-medium text-slate-800">Scopes</legend>
          <div className="mt-1.5 space-y-1.5">
            {SCOPES.map(([value, title, text]) => (
              <div key={value} className="flex items-start gap-2">
                <input
                  type="checkbox"
                  id={`scope-${value}`}
                  name="scopes"
                  value={value}
                  defaultChecked={value === 'repo:read'}
                  className="mt-0.5 size-4 accent-indigo-600"
                />
                <label htmlFor={`scope-${value}`} className="text-sm text-slate-800">
                  <span className="font-medium">{title}</span>{' '}
                  <code className="text-xs text-slate-600">{value}</code>
                  <span className="block text-xs text-slate-600">{text}</span>
                </label>
              </div>
            ))}
          </div>
        </fieldset>
        {repos.length ? (
          <fieldset>
            <legend className="text-sm font-medium text-slate-800">Repositories</legend>
            <p className="text-xs text-slate-600">Leave all unticked for every repository of the org.</p>
            <div className="mt-1.5 flex flex-wrap gap-x-4 gap-y-1.5">
              {repos.map((r) => (
                <div key={r} className="flex items-center gap-1.5">
                  <input
                    type="checkbox"
                    id={`repo-${r}`}
                    name="repos"
                    value={r}
                    className="size-4 accent-indigo-600"
                  />
                  <label htmlFor={`repo-${r}`} className="text-sm text-slate-800">
                    {r}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        ) : null}
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="token-expires" label="Expires (optional)" hint="End of that day, UTC.">
            <Input id="token-expires" name="expiresAt" type="date" aria-describedby="token-expires-hint" />
          </Field>
          <Field id="token-customer" label="Customer (optional)" hint="For per-customer read tokens.">
            <Input
              id="token-customer"
              name="customer"
              maxLength={200}
              aria-describedby="token-customer-hint"
            />
          </Field>
        </div>
        <SubmitButton pendingText="Creating token…">
          <KeyRound size={16} aria-hidden="true" />
          Create token
        </SubmitButton>
      </form>
    </div>
  );
}

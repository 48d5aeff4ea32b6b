'use client';
// Creates a webhook for chosen events; shows the signing secret exactly once.
import { Webhook } from 'lucide-react';
import { useActionState } from 'react';
import { Alert } from '@/components/ui/alert';
import { CopyButton } from '@/components/ui/copy-button';
import { Field, Input } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { type CreateWebhookState, createWebhookAction } from './actions';

export function CreateWebhookForm({ org, events }: { org: string; events: readonly string[] }) {
  const [state, action] = useActionState<CreateWebhookState, FormData>(
    createWebhookAction.bind(null, org),
    null,
  );
  return (
    <div className="space-y-4">
      {state?.ok ? (
        <div
          role="status"
          className="rounded-md border border-green-300 bg-green-50 p-3.5 text-sm text-green-950"
          key={state.at}
        >
          <p className="font-semibold">
            Webhook created. Copy its signing secret now: it is not shown again.
          </p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code
              data-testid="webhook-secret"
              className="rounded bg-white px-2 py-1 text-xs break-all ring-1 ring-green-300"
            >
              {state.secret}
            </code>
            <CopyButton text={state.secret} label="signing secret" />
          </div>
        </div>
      ) : null}
      {state && !state.ok ? <Alert tone="error">{state.error}</Alert> : null}
      <form action={action} className="space-y-4">
        <Field id="webhook-url" label="URL" hint="https://… — Pallet POSTs each event here as JSON.">
          <Input
            id="webhook-url"
            name="url"
            type="url"
            required
            maxLength={2000}
            placeholder="https://ci.example.com/pallet-hook"
            aria-describedby="webhook-url-hint"
          />
        </Field>
        <fieldset>
          <legend className="text-sm font-medium text-slate-800">Events</legend>
          <div className="mt-1.5 space-y-1.5">
            {events.map((e) => (
              <div key={e} className="flex items-center gap-2">
                <input
                  type="checkbox"
                  id={`event-${e}`}
                  name="events"
                  value={e}
                  defaultChecked={e === 'package.published'}
                  className="size-4 accent-indigo-600"
                />
                <label htmlFor={`event-${e}`} className="text-sm text-slate-800">
                  <code className="text-xs">{e}</code>
                </label>
              </div>
            ))}
          </div>
        </fieldset>
        <Field
          id="webhook-secret"
          label="Signing secret (optional)"
          hint="16+ characters; generated when empty."
        >
          <Input
            id="webhook-secret"
            name="secret"
            type="password"
            autoComplete="off"
            minLength={16}
            maxLength={200}
            aria-describedby="webhook-secret-hint"
          />
        </Field>
        <SubmitButton pendingText="Creating webhook…">
          <Webhook size={16} aria-hidden="true" />
          Create webhook
        </SubmitButton>
      </form>
    </div>
  );
}

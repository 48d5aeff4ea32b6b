'use client';
// The accept button of an invitation page.
import { useActionState } from 'react';
import { Alert } from '@/components/ui/alert';
import { SubmitButton } from '@/components/ui/submit-button';
import { acceptInvitationAction } from './actions';

export function AcceptForm({ token, org }: { token: string; org: string }) {
  const [error, action] = useActionState<string | null, FormData>(
    acceptInvitationAction.bind(null, token),
    null,
  );
  return (
    <form action={action} className="space-y-3">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <SubmitButton pendingText="Joining…">Join {org}</SubmitButton>
    </form>
  );
}

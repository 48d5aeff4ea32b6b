'use client';
// Changes one member's role; owners are protected by core (the last owner cannot be demoted).
import { useActionState } from 'react';
import { Select } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { changeRoleAction, type RoleState } from './actions';

export const ROLES = ['owner', 'admin', 'publisher', 'viewer'] as const;

export function RoleForm({
  org,
  userId,
  email,
  role,
}: {
  org: string;
  userId: string;
  email: string;
  role: string;
}) {
  const [state, action] = useActionState<RoleState, FormData>(changeRoleAction.bind(null, org, userId), null);
  const id = `role-${userId}`;
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <label htmlFor={id} className="sr-only">
        Role of {email}
      </label>
      <Select id={id} name="role" defaultValue={role} className="w-auto!">
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </Select>
      <SubmitButton variant="secondary" size="sm" pendingText="Saving…">
        Save<span className="sr-only"> role of {email}</span>
      </SubmitButton>
      {state ? (
        <span
          role="status"
          className={state.ok ? 'text-xs text-green-800' : 'text-xs text-red-800'}
          key={state.at}
        >
          {state.message}
        </span>
      ) : null}
    </form>
  );
}

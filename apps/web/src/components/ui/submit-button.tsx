'use client';
// A form's submit button that shows the pending state of its (server action) form.
import { useFormStatus } from 'react-dom';
import { Button, type ButtonProps } from './button';

export function SubmitButton({ children, pendingText, ...props }: ButtonProps & { pendingText?: string }) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" disabled={pending || props.disabled} aria-disabled={pending} {...props}>
      {pending ? (pendingText ?? 'Working…') : children}
    </Button>
  );
}

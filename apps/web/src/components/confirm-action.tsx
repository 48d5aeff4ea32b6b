'use client';
// A button that asks for confirmation in a dialog (Radix Dialog) before running a server action.
import * as Dialog from '@radix-ui/react-dialog';
import { useRouter } from 'next/navigation';
import { type ReactNode, useState, useTransition } from 'react';
import { Alert } from './ui/alert';
import { Button, type ButtonProps } from './ui/button';

export type ConfirmResult = { ok: true } | { ok: false; error: string };

export function ConfirmAction({
  trigger,
  triggerLabel,
  triggerVariant = 'danger',
  title,
  description,
  confirmLabel,
  pendingLabel = 'Working…',
  action,
}: {
  trigger: ReactNode;
  triggerLabel: string;
  triggerVariant?: ButtonProps['variant'];
  title: string;
  description: ReactNode;
  confirmLabel: string;
  pendingLabel?: string;
  action: () => Promise<ConfirmResult>;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        setError(null);
      }}
    >
      <Dialog.Trigger asChild>
        <Button variant={triggerVariant} size="sm" aria-label={triggerLabel}>
          {trigger}
        </Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 w-[calc(100%-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-5 shadow-xl">
          <Dialog.Title className="text-lg font-semibold text-slate-900">{title}</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-slate-600">{description}</Dialog.Description>
          {error ? (
            <Alert tone="error" className="mt-3">
              {error}
            </Alert>
          ) : null}
          <div className="mt-5 flex justify-end gap-2">
            <Dialog.Close asChild>
              <Button variant="secondary">Cancel</Button>
            </Dialog.Close>
            <Button
              variant="danger"
              disabled={pending}
              onClick={() =>
                start(async () => {
                  const r = await action();
                  if (r.ok) {
                    setOpen(false);
                    router.refresh();
                  } else setError(r.error);
                })
              }
            >
              {pending ? pendingLabel : confirmLabel}
            </Button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

'use client';
// A determinate progress bar (Radix Progress) with an accessible name.
import * as ProgressPrimitive from '@radix-ui/react-progress';

export function Progress({ value, label }: { value: number; label: string }) {
  const v = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <ProgressPrimitive.Root
      value={v}
      max={100}
      aria-label={label}
      getValueLabel={(val) => `${val}%`}
      className="relative h-2 w-full overflow-hidden rounded-full bg-slate-200"
    >
      <ProgressPrimitive.Indicator
        className="h-full bg-indigo-600 transition-transform"
        style={{ transform: `translateX(-${100 - v}%)` }}
      />
    </ProgressPrimitive.Root>
  );
}

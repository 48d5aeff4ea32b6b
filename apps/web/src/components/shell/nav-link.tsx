'use client';
// A navigation link that marks itself current (aria-current) when its section is open.
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { cn } from '../ui/cn';

export function NavLink({
  href,
  children,
  exact = false,
  variant = 'top',
}: {
  href: string;
  children: ReactNode;
  exact?: boolean;
  variant?: 'top' | 'tab';
}) {
  const path = usePathname();
  const current = exact ? path === href : path === href || path.startsWith(`${href}/`);
  return (
    <Link
      href={href}
      aria-current={current ? 'page' : undefined}
      className={cn(
        'inline-flex items-center gap-1.5 text-sm font-medium whitespace-nowrap',
        variant === 'top'
          ? cn(
              'rounded-md px-2.5 py-1.5',
              current ? 'bg-slate-100 text-slate-900' : 'text-slate-700 hover:text-slate-900',
            )
          : cn(
              '-mb-px border-b-2 px-1 py-2.5',
              current
                ? 'border-indigo-600 text-indigo-700'
                : 'border-transparent text-slate-700 hover:border-slate-300 hover:text-slate-900',
            ),
      )}
    >
      {children}
    </Link>
  );
}

'use client';
// Switches between the orgs the user belongs to, and leads to creating a new one (Radix DropdownMenu).
import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { Check, ChevronsUpDown, Plus } from 'lucide-react';
import Link from 'next/link';

export interface OrgChoice {
  slug: string;
  name: string;
}

const ITEM =
  'flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm text-slate-800 outline-none data-[highlighted]:bg-slate-100';

export function OrgSwitcher({ current, orgs }: { current: string; orgs: OrgChoice[] }) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        className="inline-flex max-w-[12rem] items-center gap-1.5 rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm font-medium text-slate-900 hover:bg-slate-50"
        aria-label={`Org: ${current}. Switch org`}
      >
        <span className="truncate">{current}</span>
        <ChevronsUpDown size={14} aria-hidden="true" className="shrink-0 text-slate-500" />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="start"
          sideOffset={6}
          className="z-50 min-w-[14rem] rounded-md border border-slate-200 bg-white p-1 shadow-lg"
        >
          <DropdownMenu.Label className="px-2 py-1 text-xs font-semibold text-slate-600">
            Your orgs
          </DropdownMenu.Label>
          {orgs.map((o) => (
            <DropdownMenu.Item key={o.slug} asChild className={ITEM}>
              <Link href={`/orgs/${o.slug}/repos`}>
                <Check
                  size={14}
                  aria-hidden="true"
                  className={o.slug === current ? 'text-indigo-600' : 'invisible'}
                />
                <span className="truncate">{o.name === o.slug ? o.slug : `${o.name} (${o.slug})`}</span>
              </Link>
            </DropdownMenu.Item>
          ))}
          <DropdownMenu.Separator className="my-1 h-px bg-slate-200" />
          <DropdownMenu.Item asChild className={ITEM}>
            <Link href="/orgs/new">
              <Plus size={14} aria-hidden="true" />
              Create an org
            </Link>
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

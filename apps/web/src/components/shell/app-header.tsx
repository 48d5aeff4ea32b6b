// The dashboard's top bar: product, org switcher, the org's sections and the signed-in user.
import { Package } from 'lucide-react';
import Link from 'next/link';
import { NavLink } from './nav-link';
import { type OrgChoice, OrgSwitcher } from './org-switcher';
import { SignOutButton } from './sign-out-button';

export function AppHeader({ email, org, orgs }: { email: string; org?: string; orgs: OrgChoice[] }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2.5 sm:px-6">
        <Link href="/" className="flex items-center gap-1.5 font-semibold text-slate-900">
          <Package aria-hidden="true" size={20} className="text-indigo-600" />
          Pallet
        </Link>
        {org ? <OrgSwitcher current={org} orgs={orgs} /> : null}
        <div className="ml-auto flex items-center gap-2">
          <span className="hidden text-sm text-slate-600 sm:inline" title="Signed in as">
            {email}
          </span>
          <SignOutButton />
        </div>
        {org ? (
          <nav aria-label="Org" className="-mx-1 flex w-full gap-1 overflow-x-auto pb-0.5">
            <NavLink href={`/orgs/${org}/repos`}>Repositories</NavLink>
            <NavLink href={`/orgs/${org}/tokens`}>Tokens</NavLink>
            <NavLink href={`/orgs/${org}/webhooks`}>Webhooks</NavLink>
            <NavLink href={`/orgs/${org}/members`}>Members</NavLink>
            <NavLink href={`/orgs/${org}/audit`}>Audit log</NavLink>
          </nav>
        ) : null}
      </div>
    </header>
  );
}

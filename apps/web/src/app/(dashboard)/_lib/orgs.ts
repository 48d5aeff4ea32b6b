// The signed-in user's orgs (for the switcher and the landing redirect) and their email for the header.
import { getMe } from '@pallet/core';
import type { OrgChoice } from '@/components/shell/org-switcher';
import { getCore } from '@/lib/core';
import { dashboardActor } from './dashboard';

export async function currentUser(): Promise<{ email: string; orgs: OrgChoice[] }> {
  const me = await getMe(getCore(), await dashboardActor());
  return { email: me.user?.email ?? '', orgs: me.orgs.map((o) => ({ slug: o.slug, name: o.name })) };
}

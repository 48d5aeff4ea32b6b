// The signed-in user's orgs for the switcher, and their email for the header.

import type { OrgChoice } from '@/components/shell/org-switcher';
import { getSessionUser } from '@/lib/session';

export async function listUserOrgs(current: OrgChoice): Promise<OrgChoice[]> {
  // TODO(issue 4): list every membership once core offers it.
  return [{ slug: current.slug, name: current.name }];
}

export async function sessionEmail(): Promise<string> {
  return (await getSessionUser())?.email ?? '';
}

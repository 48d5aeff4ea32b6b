// The Policies tab: the repository's upload policy. Members see it; owners and admins change it.
import { authorizeRepository, getPolicy } from '@pallet/core';
import { Card } from '@/components/ui/card';
import { load, loadOr404 } from '../../../../../_lib/dashboard';
import { PolicyForm } from './policy-form';

export const metadata = { title: 'Policies' };

export default async function PoliciesPage({ params }: { params: Promise<{ org: string; repo: string }> }) {
  const { org, repo } = await params;
  const policy = await loadOr404((core, actor) => getPolicy(core, actor, org, repo));
  const canEdit = (await load((core, actor) => authorizeRepository(core, actor, org, repo, 'admin'))).ok;
  return (
    <Card className="p-5">
      <p className="mb-5 text-sm text-slate-700">
        Every upload is checked against these rules while it is received. A refused upload answers 422 with
        the reason and stores nothing; a quarantined package is kept out of the indexes until an admin
        releases it. Every decision is in the audit log.
      </p>
      <PolicyForm org={org} repo={repo} rules={policy.rules} canEdit={canEdit} />
    </Card>
  );
}

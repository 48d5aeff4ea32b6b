// One publication and what restoring it would change (the diff), with the restore button.
import { previewRestore, type RestorePlan } from '@pallet/core';
import Link from 'next/link';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { load } from '../../../../../../_lib/dashboard';
import { RestoreButton } from '../../lifecycle-buttons';

export const metadata = { title: 'Restore publication' };

const line = (p: { name: string; version: string; architecture: string }) =>
  `${p.name} ${p.version} (${p.architecture})`;

function Diff({ plan }: { plan: RestorePlan }) {
  return (
    <div className="space-y-2 text-sm" data-testid="restore-diff">
      {plan.add.length + plan.remove.length === 0 ? (
        <p>The package set is the same; it is published anew.</p>
      ) : null}
      <ul className="space-y-0.5 font-mono">
        {plan.add.map((p) => (
          <li key={p.id} className="text-green-800">
            + {line(p)}
          </li>
        ))}
        {plan.remove.map((p) => (
          <li key={p.id} className="text-red-800">
            − {line(p)}
          </li>
        ))}
        {plan.yanked.map((p) => (
          <li key={p.id} className="text-slate-600">
            stays yanked: {line(p)}
          </li>
        ))}
      </ul>
    </div>
  );
}

export default async function RestorePublicationPage({
  params,
}: {
  params: Promise<{ org: string; repo: string; id: string }>;
}) {
  const { org, repo, id } = await params;
  const r = await load((core, actor) => previewRestore(core, actor, org, repo, id));
  return (
    <Card>
      <div className="space-y-4 p-4">
        <Link
          href={`/orgs/${org}/repos/${repo}/publications`}
          className="text-sm text-indigo-700 hover:underline"
        >
          ← Publications
        </Link>
        {r.ok ? (
          <>
            <h2 className="text-lg font-semibold">
              Restore {r.data.distribution} to publication <code className="text-sm">{id}</code>
            </h2>
            <p className="text-sm text-slate-700">
              Its package set is published anew, with a new date and new signatures, so machines accept it as
              newer.
            </p>
            <Diff plan={r.data} />
            <RestoreButton org={org} repo={repo} id={id} summary={<Diff plan={r.data} />} />
          </>
        ) : (
          <Alert tone="error">{r.message}</Alert>
        )}
      </div>
    </Card>
  );
}

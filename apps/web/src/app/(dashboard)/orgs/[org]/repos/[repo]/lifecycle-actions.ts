'use server';
// Release life-cycle changes from the dashboard (freeze, retention, promote, yank, restore), through the
// same core services as the REST API; every one is audited there.
import { copyPackages, restorePublication, updateDistribution, yankPackage } from '@pallet/core';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { act } from '../../../../_lib/dashboard';

type Confirmed = { ok: true } | { ok: false; error: string };

const done = (r: { ok: boolean; error?: string }): Confirmed =>
  r.ok ? { ok: true } : { ok: false, error: r.error ?? 'Nothing was changed.' };

export async function setFrozenAction(
  org: string,
  repo: string,
  distribution: string,
  format: 'deb' | 'rpm',
  frozen: boolean,
): Promise<Confirmed> {
  const r = await act({ org, repo, distribution, format, frozen }, (core, actor) =>
    updateDistribution(core, actor, org, repo, distribution, { frozen }, { format }),
  );
  revalidatePath(`/orgs/${org}/repos/${repo}/distributions`);
  return done(r);
}

export async function yankPackageAction(org: string, repo: string, id: string): Promise<Confirmed> {
  const r = await act({ org, repo, id }, (core, actor) => yankPackage(core, actor, org, repo, id));
  revalidatePath(`/orgs/${org}/repos/${repo}`);
  return done(r);
}

export async function restorePublicationAction(org: string, repo: string, id: string): Promise<Confirmed> {
  const r = await act({ org, repo, id }, (core, actor) => restorePublication(core, actor, org, repo, id));
  revalidatePath(`/orgs/${org}/repos/${repo}/publications`);
  return done(r);
}

function back(org: string, repo: string, params: Record<string, string>): never {
  redirect(`/orgs/${org}/repos/${repo}/distributions?${new URLSearchParams(params)}`);
}

const field = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};

/** Sets (or, without keepVersions, removes) a distribution's retention policy after its preview. */
export async function applyRetentionAction(org: string, repo: string, form: FormData): Promise<void> {
  const distribution = field(form, 'distribution') ?? '';
  const format = field(form, 'format') === 'rpm' ? 'rpm' : 'deb';
  const keep = field(form, 'keepVersions');
  const maxAge = field(form, 'maxAgeDays');
  const retention = keep ? { keepVersions: Number(keep), maxAgeDays: maxAge ? Number(maxAge) : null } : null;
  const r = await act({ org, repo, distribution, keep, maxAge }, (core, actor) =>
    updateDistribution(core, actor, org, repo, distribution, { retention }, { format }),
  );
  back(org, repo, r.ok ? { notice: `Retention of ${distribution} saved.` } : { error: r.error });
}

/** Copies or moves the packages of a distribution matching a name (all when empty) into another one. */
export async function promoteAction(org: string, repo: string, form: FormData): Promise<void> {
  const mode = field(form, 'mode') === 'move' ? 'move' : 'copy';
  const from = field(form, 'from') ?? '';
  const to = field(form, 'to') ?? '';
  const name = field(form, 'name');
  const toRepo = field(form, 'toRepo');
  const r = await act({ org, repo, mode, from, to, name, toRepo }, (core, actor) =>
    copyPackages(
      core,
      actor,
      org,
      repo,
      {
        query: { distribution: from, ...(name ? { name } : {}) },
        distribution: to,
        ...(toRepo ? { repo: toRepo } : {}),
      },
      mode,
    ),
  );
  if (!r.ok) back(org, repo, { error: r.error });
  const skipped = r.data.skipped.length
    ? `, ${r.data.skipped.length} skipped (other content already there)`
    : '';
  back(org, repo, {
    notice: `${mode === 'move' ? 'Moved' : 'Copied'} ${r.data.items.length} package(s) from ${from} to ${to}${skipped}.`,
  });
}

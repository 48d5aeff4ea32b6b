'use server';
// Package changes from the dashboard, through the same core services as the REST API.
import { deletePackage, releasePackage } from '@pallet/core';
import { revalidatePath } from 'next/cache';
import { act } from '../../../../_lib/dashboard';

export async function deletePackageAction(org: string, repo: string, id: string) {
  const result = await act({ org, repo, id }, (core, actor) => deletePackage(core, actor, org, repo, id));
  revalidatePath(`/orgs/${org}/repos/${repo}`);
  return result.ok ? { ok: true as const } : { ok: false as const, error: result.error };
}

export async function releasePackageAction(org: string, repo: string, id: string) {
  const result = await act({ org, repo, id }, (core, actor) => releasePackage(core, actor, org, repo, id));
  revalidatePath(`/orgs/${org}/repos/${repo}`);
  return result.ok ? { ok: true as const } : { ok: false as const, error: result.error };
}

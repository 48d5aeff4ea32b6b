'use server';
// Creates an org with the same core service as POST /api/v1/orgs; the creator becomes its owner.
import { createOrg } from '@pallet/core';
import { redirect } from 'next/navigation';
import { act } from '../../_lib/dashboard';

export type CreateOrgState = { error: string; slug: string; name: string } | null;

export async function createOrgAction(_prev: CreateOrgState, form: FormData): Promise<CreateOrgState> {
  const slug = String(form.get('slug') ?? '').trim();
  const name = String(form.get('name') ?? '').trim();
  const result = await act({ slug, name }, (core, actor) =>
    createOrg(core, actor, { slug, ...(name ? { name } : {}) }),
  );
  if (!result.ok) {
    const error = result.error.startsWith('slug:')
      ? 'The org’s URL name may use lowercase letters, digits and dashes, and must start with a letter or digit.'
      : result.error;
    return { error, slug, name };
  }
  redirect(`/orgs/${result.data.slug}/repos`);
}

'use server';
// Creates a repository with the same core service as POST /api/v1/orgs/{org}/repos.
import { createRepository } from '@pallet/core';
import { redirect } from 'next/navigation';
import { act } from '../../../../_lib/dashboard';

export type CreateRepositoryState = { error: string; values: Record<string, string> } | null;

export async function createRepositoryAction(
  org: string,
  _prev: CreateRepositoryState,
  form: FormData,
): Promise<CreateRepositoryState> {
  const values = {
    name: String(form.get('name') ?? '').trim(),
    visibility: String(form.get('visibility') ?? 'private'),
    description: String(form.get('description') ?? '').trim(),
    keyAlgorithm: String(form.get('keyAlgorithm') ?? 'rsa4096'),
  };
  const result = await act({ org, values }, (core, actor) =>
    createRepository(core, actor, org, {
      name: values.name,
      visibility: values.visibility,
      keyAlgorithm: values.keyAlgorithm,
      ...(values.description ? { description: values.description } : {}),
    }),
  );
  if (!result.ok) {
    const error = result.error.startsWith('name:')
      ? 'The name may use lowercase letters, digits and dashes, and must start with a letter or digit.'
      : result.error;
    return { error, values };
  }
  redirect(`/orgs/${org}/repos/${result.data.slug}/upload`);
}

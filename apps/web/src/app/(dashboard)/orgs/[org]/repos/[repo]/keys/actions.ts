'use server';
// Key life-cycle changes from the Keys tab, through the same core services as the REST API.
import { retireSigningKey, revokeSigningKey, rotateSigningKey } from '@pallet/core';
import { revalidatePath } from 'next/cache';
import { act } from '../../../../../_lib/dashboard';

type Result = { ok: true } | { ok: false; error: string };

function done(org: string, repo: string, result: { ok: boolean; error?: string }): Result {
  revalidatePath(`/orgs/${org}/repos/${repo}/keys`);
  return result.ok ? { ok: true } : { ok: false, error: result.error ?? 'Failed.' };
}

export async function rotateKeyAction(org: string, repo: string): Promise<Result> {
  return done(
    org,
    repo,
    await act({ org, repo }, (core, actor) => rotateSigningKey(core, actor, org, repo, {})),
  );
}

export async function retireKeyAction(org: string, repo: string, fingerprint: string): Promise<Result> {
  return done(
    org,
    repo,
    await act({ org, repo, fingerprint }, (core, actor) =>
      retireSigningKey(core, actor, org, repo, fingerprint),
    ),
  );
}

export async function revokeKeyAction(
  org: string,
  repo: string,
  fingerprint: string,
  reason: string,
): Promise<Result> {
  return done(
    org,
    repo,
    await act({ org, repo, fingerprint, reason }, (core, actor) =>
      revokeSigningKey(core, actor, org, repo, fingerprint, { reason }),
    ),
  );
}

// A throwaway Pallet instance (test/instance.ts: own database, Redis prefix, storage, master key)
// with one org and one repository, driven through core services directly (no HTTP, no worker).

import { loadConfig } from '@pallet/config';
import { type Actor, type CoreContext, createCoreContext, createRepository, signUp } from '@pallet/core';
import { createTestInstance, type TestInstance } from '../../test/instance';

export interface BenchRepository {
  instance: TestInstance;
  ctx: CoreContext;
  actor: Actor;
  org: string;
  repo: string;
  close(): Promise<void>;
}

export async function createBenchRepository(
  label: string,
  keyAlgorithm: 'rsa4096' | 'ed25519' = 'rsa4096',
): Promise<BenchRepository> {
  const instance = await createTestInstance(label);
  const ctx = createCoreContext(loadConfig(instance.env));
  const actor: Actor = { kind: 'system' };
  const org = 'bench';
  const repo = 'packages';
  await signUp(ctx, { email: 'bench@pallet.invalid', password: 'bench-password-1', org });
  await createRepository(ctx, actor, org, { name: repo, keyAlgorithm });
  return {
    instance,
    ctx,
    actor,
    org,
    repo,
    async close() {
      await ctx.queues.close();
      await ctx.db.$disconnect();
      await instance.destroy();
    },
  };
}

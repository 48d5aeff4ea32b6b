// vitest setupFiles for *.int.test.ts: every test file gets its own throwaway instance (database, Redis
// prefix, storage, master key), so no file sees rows another file left behind.
import { afterAll } from 'vitest';
import { createTestInstance } from './instance';

const instance = await createTestInstance('int');
Object.assign(process.env, instance.env);

afterAll(async () => {
  await instance.destroy();
});

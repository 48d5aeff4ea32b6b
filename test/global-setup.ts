// vitest globalSetup for *.int.test.ts: one throwaway instance for the run, exposed through process.env.
import { createTestInstance, type TestInstance } from './instance';

let instance: TestInstance | undefined;

export async function setup() {
  instance = await createTestInstance('int');
  Object.assign(process.env, instance.env);
}

export async function teardown() {
  await instance?.destroy();
}

// The storage an end-to-end instance runs on: the filesystem by default, or a real S3-protocol server
// (s3rver, in its own process) with PALLET_E2E_STORAGE=s3, so the whole suite can run on either.
// Tests reach stored bytes through this (to tamper with an index, or to list leftover uploads) and
// never assume a directory layout.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createStorage, type Storage } from '@pallet/storage';
import { listStorageKeys, S3RVER_CREDENTIALS } from '@pallet/storage/testing';

const ROOT = join(import.meta.dirname, '..', '..');
const BUCKET = 'pallet-e2e';

export type StorageKind = 'fs' | 's3';

export interface E2eStorage {
  kind: StorageKind;
  /** What the web app and the worker need in their environment to use this storage. */
  env: Record<string, string>;
  read(key: string): Promise<Buffer>;
  write(key: string, bytes: Uint8Array | string): Promise<void>;
  /** Every stored key under prefix, sorted. */
  list(prefix: string): Promise<string[]>;
  stop(): Promise<void>;
}

/** PALLET_E2E_STORAGE picks the backend of every instance the suite starts (`fs` when unset). */
export function e2eStorageKind(): StorageKind {
  const kind = process.env.PALLET_E2E_STORAGE ?? 'fs';
  if (kind !== 'fs' && kind !== 's3') throw new Error(`PALLET_E2E_STORAGE must be fs or s3, not ${kind}`);
  return kind;
}

export async function startE2eStorage(kind: StorageKind, fsRoot: string, label: string): Promise<E2eStorage> {
  if (kind === 'fs') {
    return wrap('fs', { PALLET_STORAGE: fsRoot }, createStorage(fsRoot), async () => {});
  }
  const server = await startS3rverProcess();
  const env = {
    PALLET_STORAGE: `s3://${BUCKET}/${label}`,
    PALLET_S3_ENDPOINT: server.endpoint,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-east-1',
  };
  const s3 = { endpoint: server.endpoint, ...S3RVER_CREDENTIALS };
  const storage = createStorage(env.PALLET_STORAGE, s3);
  return wrap('s3', env, storage, server.stop, s3);
}

function wrap(
  kind: StorageKind,
  env: Record<string, string>,
  storage: Storage,
  stopServer: () => Promise<void>,
  s3?: { endpoint: string; accessKeyId: string; secretAccessKey: string },
): E2eStorage {
  return {
    kind,
    env,
    async read(key) {
      const obj = await storage.get(key);
      if (!obj) throw new Error(`nothing stored at ${key}`);
      const chunks: Buffer[] = [];
      for await (const chunk of obj.body) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
    async write(key, bytes) {
      await storage.put(key, bytes);
    },
    list: (prefix) => listStorageKeys(storage, prefix, s3),
    async stop() {
      (storage as { destroy?: () => void }).destroy?.();
      await stopServer();
    },
  };
}

async function startS3rverProcess(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(
    join(ROOT, 'node_modules/.bin/tsx'),
    [join(ROOT, 'packages/storage/src/testing/s3rver-process.ts'), BUCKET],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  };
  try {
    const line = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`s3rver exited with code ${code}`)));
      setTimeout(() => reject(new Error('s3rver did not start within 30 s')), 30_000).unref();
    });
    const { endpoint } = JSON.parse(line) as { endpoint: string };
    return { endpoint, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

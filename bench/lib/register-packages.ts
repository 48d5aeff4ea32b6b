// Puts packages into a distribution the way an upload does, minus HTTP: stageUpload (stream to
// storage while hashing and parsing), uploadPackage (Package row, audit event, ingest job that no
// worker picks up), then ingestPackage (index entry; rpm: header signature) called in-process.
import { readFile } from 'node:fs/promises';
import { ingestPackage, stageUpload, uploadPackage } from '@pallet/core';
import type { BenchRepository } from './bench-repository';

export type PackageSource = { bytes: Buffer } | { path: string };

async function* once(bytes: Buffer): AsyncIterable<Uint8Array> {
  yield bytes;
}

/** Stages and registers one package; returns its id (not yet ingested). */
export async function uploadOne(bench: BenchRepository, distribution: string, source: PackageSource) {
  const bytes = 'bytes' in source ? source.bytes : await readFile(source.path);
  const staged = await stageUpload(bench.ctx, once(bytes), { maxBytes: 64 << 20 });
  const { package: pkg } = await uploadPackage(bench.ctx, bench.actor, bench.org, bench.repo, staged, {
    distribution,
  });
  return pkg.id;
}

/** Upload + ingest of many packages with a few in flight (the database and storage are the limit). */
export async function registerPackages(
  bench: BenchRepository,
  distribution: string,
  count: number,
  source: (i: number) => PackageSource,
  concurrency = 6,
): Promise<void> {
  // The first upload creates the distribution; concurrent first uploads race in ensureDistribution
  // (P2002 on Distribution_repositoryId_format_name_key), so it goes alone.
  let next = 0;
  if (count > 0) {
    await ingestPackage(bench.ctx, await uploadOne(bench, distribution, source(next++)));
  }
  const lane = async () => {
    for (let i = next++; i < count; i = next++) {
      const id = await uploadOne(bench, distribution, source(i));
      await ingestPackage(bench.ctx, id);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

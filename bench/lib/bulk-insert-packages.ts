// Fills a distribution quickly for the 10,000-package cases: Blob and Package rows written with
// createMany, each row's index entry rendered by the same format-library functions ingestion uses
// (parseDeb/buildPackagesStanza, parseRpm/buildPrimaryEntry...). Nothing goes to storage, no audit
// events are written and rpms are not signed: a publication reads only these rows, so what it has
// to build is the same as after real uploads. The real upload path would take ~50 ms a package here.
import { createHash } from 'node:crypto';
import { buildPackagesStanza, parseDeb, poolPath } from '@pallet/deb';
import {
  buildFilelistsEntry,
  buildOtherEntry,
  buildPrimaryEntry,
  parseRpm,
  rpmLocationHref,
} from '@pallet/rpm';
import type { BenchRepository } from './bench-repository';

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

function digests(bytes: Uint8Array) {
  const h = (a: string) => createHash(a).update(bytes).digest('hex');
  return { sha256: h('sha256'), sha512: h('sha512'), sha1: h('sha1'), md5: h('md5'), size: bytes.length };
}

interface Row {
  blob: ReturnType<typeof digests> & { id: string };
  pkg: {
    name: string;
    version: string;
    architecture: string;
    component: string | null;
    filename: string;
    metadata: object;
    indexEntry: string;
    indexExtra?: object;
  };
}

async function debRow(bytes: Uint8Array, release: string, component: string, id: string): Promise<Row> {
  const deb = await parseDeb(once(bytes));
  const d = digests(bytes);
  const filename = poolPath({ release, component, ...deb });
  return {
    blob: { ...d, id },
    pkg: {
      name: deb.name,
      version: deb.version,
      architecture: deb.architecture,
      component,
      filename,
      metadata: { deb },
      indexEntry: buildPackagesStanza(deb, { filename, ...d }),
    },
  };
}

async function rpmRow(bytes: Uint8Array, id: string, time: number): Promise<Row> {
  const rpm = await parseRpm(once(bytes));
  const d = digests(bytes);
  const filename = rpmLocationHref(rpm);
  const file = { pkgid: d.sha256, size: d.size, time, locationHref: filename };
  return {
    blob: { ...d, id },
    pkg: {
      name: rpm.name,
      version: `${rpm.epoch ? `${rpm.epoch}:` : ''}${rpm.version}-${rpm.release}`,
      architecture: rpm.isSource ? 'src' : rpm.arch,
      component: null,
      filename,
      metadata: { rpm },
      indexEntry: buildPrimaryEntry(rpm, file),
      indexExtra: { filelists: buildFilelistsEntry(rpm, file), other: buildOtherEntry(rpm, file) },
    },
  };
}

let blobNumber = 0;

/**
 * Inserts `count` packages (bytes from `source(i)`) into an existing distribution as PROCESSING rows
 * with their index entries, then bumps the generation so the next publishDistribution builds them.
 */
export async function bulkInsertPackages(
  bench: BenchRepository,
  distributionId: string,
  count: number,
  source: (i: number) => Promise<Uint8Array> | Uint8Array,
): Promise<void> {
  const { db } = bench.ctx;
  const dist = await db.distribution.findUniqueOrThrow({ where: { id: distributionId } });
  const component = dist.components[0] ?? 'main';
  const time = Math.floor(Date.now() / 1000);
  const BATCH = 500;
  for (let start = 0; start < count; start += BATCH) {
    const rows: Row[] = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      const bytes = await source(i);
      // Numbered across calls: a distribution grown twice (10,000, then 100,000) must not reuse an id.
      const id = `bench-blob-${distributionId}-${blobNumber++}`;
      rows.push(
        dist.format === 'DEB'
          ? await debRow(bytes, dist.release, component, id)
          : await rpmRow(bytes, id, time),
      );
    }
    await db.blob.createMany({
      data: rows.map(({ blob }) => ({
        id: blob.id,
        sha256: blob.sha256,
        sha512: blob.sha512,
        sha1: blob.sha1,
        md5: blob.md5,
        size: BigInt(blob.size),
        storageKey: `bench/not-stored/${blob.sha256}`,
      })),
    });
    await db.package.createMany({
      data: rows.map(({ blob, pkg }) => ({
        ...pkg,
        repositoryId: dist.repositoryId,
        distributionId,
        format: dist.format,
        status: 'PROCESSING' as const,
        blobId: blob.id,
        servedBlobId: blob.id,
        uploadedBy: 'bench',
      })),
    });
  }
  await db.distribution.update({ where: { id: distributionId }, data: { generation: { increment: 1 } } });
}

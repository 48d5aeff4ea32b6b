// Builds a YUM/DNF/zypper distribution's repodata from pre-rendered package entries: checksum-named
// primary/filelists/other, then repomd.xml with its detached signature and the public key beside it.
// With a base (the current publication's repodata, when only packages were added), the rows are the
// added packages and are appended to it.
import { detachSign } from '@pallet/openpgp';
import { appendRepodata, buildRepodata, type RepodataBase } from '@pallet/rpm';
import { timeSigning } from '../metrics/pallet-metrics';
import type { PublicationFileSpec } from './publication-file';

export interface RpmIndexRow {
  indexEntry: string;
  indexExtra: { filelists: string; other: string };
}

export interface RpmPublicationInput {
  /** every row, or with `base` the added ones */
  rows: RpmIndexRow[];
  base?: RepodataBase;
  /** receives the written repodata opened as the next publication's base */
  onRepodata?: (next: RepodataBase) => void;
  date: Date;
  signingKeys: { privateKeyArmored: string; publicKeyArmored: string }[];
}

export async function buildRpmPublication(input: RpmPublicationInput): Promise<PublicationFileSpec[]> {
  const timestamp = Math.floor(input.date.getTime() / 1000);
  const repodataInput = {
    primary: input.rows.map((r) => r.indexEntry),
    filelists: input.rows.map((r) => r.indexExtra.filelists),
    other: input.rows.map((r) => r.indexExtra.other),
    revision: String(timestamp),
    timestamp,
  };
  const { files, repomdXml, next } = input.base
    ? appendRepodata(input.base, repodataInput)
    : buildRepodata(repodataInput);
  input.onRepodata?.(next);
  const keys = input.signingKeys.map((k) => k.privateKeyArmored);
  const signature = await timeSigning(
    'repomd',
    async () => (await detachSign(repomdXml, keys, { armor: true })) as string,
  );
  const out: PublicationFileSpec[] = files.map((f) => ({
    path: f.path,
    bytes: f.bytes,
    contentType: 'application/gzip',
    immutable: true,
    sha256: f.sha256,
  }));
  out.push(
    {
      path: 'repodata/repomd.xml.key',
      bytes: Buffer.from(input.signingKeys.map((k) => k.publicKeyArmored.trim()).join('\n') + '\n', 'utf8'),
      contentType: 'application/pgp-keys',
      immutable: false,
    },
    {
      path: 'repodata/repomd.xml',
      bytes: Buffer.from(repomdXml, 'utf8'),
      contentType: 'application/xml',
      immutable: false,
    },
    {
      path: 'repodata/repomd.xml.asc',
      bytes: Buffer.from(signature, 'utf8'),
      contentType: 'application/pgp-signature',
      immutable: false,
    },
  );
  return out;
}

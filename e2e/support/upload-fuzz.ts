// Mutation fuzzing of the upload endpoint: real .deb and .rpm files mutated (truncations, bit flips,
// byte splats, length lies, member swaps, decompression bombs) from a seeded PRNG, sent through HTTP,
// every answer checked against the contract. Shared by the e2e test (a few hundred mutants) and
// `npm run fuzz` (10,000 and a printed tally).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { buildDeb } from './deb-builder';
import { NoAnswer, postUpload, type UploadAnswer } from './raw-upload';
import { buildRpm } from './rpm-builder';

export interface FuzzSeed {
  filename: string;
  format: 'deb' | 'rpm';
  bytes: Buffer;
}

export interface Mutant {
  label: string;
  filename: string;
  distribution: string;
  bytes: Buffer;
}

/** Answers the contract allows for an upload; anything else (5xx, no answer, a stack) is a finding. */
const CONTRACT_STATUSES = new Set([200, 202, 400, 409, 413, 415, 422]);

/** mulberry32: small, fast and reproducible from a 32-bit seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ROOT = join(import.meta.dirname, '..', '..');

/** The packages mutated: Debian's own .debs, dpkg-deb and rpmbuild output, small and about 1 MB. */
export function buildFuzzSeeds(work: string): FuzzSeed[] {
  const fixtures = join(ROOT, 'packages/deb/fixtures');
  const seeds: FuzzSeed[] = [
    'hello_2.10-3_amd64.deb',
    'libbz2-1.0_1.0.8-5+b1_amd64.deb',
    'debian-archive-keyring_2023.3+deb12u2_all.deb',
  ].map((f) => ({ filename: f, format: 'deb' as const, bytes: readFileSync(join(fixtures, f)) }));
  const filler = Buffer.alloc(768 * 1024);
  for (let i = 0; i < filler.length; i++) filler[i] = (i * 2654435761) >>> 24;
  const body = filler.toString('base64');
  for (const [name, text] of [
    ['fuzz-small', undefined],
    ['fuzz-large', body],
  ] as const) {
    const deb = buildDeb(work, { name, version: '1.0-1', body: text });
    seeds.push({ filename: `${name}_1.0-1_all.deb`, format: 'deb', bytes: readFileSync(deb) });
    const rpm = buildRpm(work, { name, version: '1.0', release: '1', arch: 'noarch', body: text });
    seeds.push({ filename: `${name}-1.0-1.noarch.rpm`, format: 'rpm', bytes: readFileSync(rpm) });
  }
  return seeds;
}

/** gzip of `size` zero bytes: a few hundred KB that inflate to hundreds of MB. */
export async function gzipBomb(size: number): Promise<Buffer> {
  const gz = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gz.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((r) => gz.on('end', r));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < size; written += zeros.length) {
    if (!gz.write(zeros)) await new Promise((r) => gz.once('drain', r));
  }
  gz.end();
  await done;
  return Buffer.concat(out);
}

/** xz of `size` zero bytes, when the xz tool is there (it is on every Debian). */
export function xzBomb(size: number): Buffer | null {
  try {
    return execFileSync('sh', ['-c', `head -c ${size} /dev/zero | xz -T1 -1 -c`], {
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch {
    return null;
  }
}

interface ArMember {
  name: string;
  header: Buffer;
  data: Buffer;
}

function readAr(deb: Buffer): ArMember[] | null {
  if (deb.subarray(0, 8).toString('latin1') !== '!<arch>\n') return null;
  const members: ArMember[] = [];
  let offset = 8;
  while (offset + 60 <= deb.length) {
    const header = deb.subarray(offset, offset + 60);
    const size = Number(header.subarray(48, 58).toString('latin1').trim());
    if (!Number.isFinite(size)) return null;
    members.push({
      name: header.subarray(0, 16).toString('latin1').trim(),
      header,
      data: deb.subarray(offset + 60, offset + 60 + size),
    });
    offset += 60 + size + (size % 2);
  }
  return members;
}

function arHeader(name: string, size: number): Buffer {
  const h = Buffer.alloc(60, 0x20);
  h.write(name.padEnd(16, ' '), 0, 'latin1');
  h.write('0'.padEnd(12, ' '), 16, 'latin1');
  h.write('0'.padEnd(6, ' '), 28, 'latin1');
  h.write('0'.padEnd(6, ' '), 34, 'latin1');
  h.write('100644'.padEnd(8, ' '), 40, 'latin1');
  h.write(String(size).padEnd(10, ' ').slice(0, 10), 48, 'latin1');
  h.write('`\n', 58, 'latin1');
  return h;
}

function writeAr(members: { name: string; data: Buffer; header?: Buffer }[]): Buffer {
  const parts: Buffer[] = [Buffer.from('!<arch>\n', 'latin1')];
  for (const m of members) {
    parts.push(m.header ?? arHeader(m.name, m.data.length), m.data);
    if (m.data.length % 2) parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

/** Offsets of the rpm signature and main header intros (magic, reserved, count, data length). */
function rpmHeaders(rpm: Buffer): number[] {
  const sig = 96;
  if (rpm.length < sig + 16) return [];
  const sigLen = 16 + rpm.readUInt32BE(sig + 8) * 16 + rpm.readUInt32BE(sig + 12);
  const main = sig + sigLen + ((8 - (sigLen % 8)) % 8);
  return main + 16 <= rpm.length ? [sig, main] : [sig];
}

export class Mutator {
  private readonly rand: () => number;

  constructor(
    seed: number,
    private readonly seeds: FuzzSeed[],
    private readonly bombs: { gz: Buffer; xz: Buffer | null },
  ) {
    this.rand = prng(seed);
  }

  private int(n: number): number {
    return Math.floor(this.rand() * n);
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** An offset biased to the first KBs, where the structure is. */
  private offset(length: number): number {
    return this.rand() < 0.7 ? this.int(Math.min(length, 4096)) : this.int(length);
  }

  next(): Mutant {
    const seed = this.pick(this.seeds);
    const kinds = ['truncate', 'bitflip', 'splat', 'lengthlie', 'swap', 'bomb'] as const;
    const kind = this.pick(kinds);
    const bytes = Buffer.from(seed.bytes);
    let detail = '';
    let out: Buffer = bytes;
    switch (kind) {
      case 'truncate': {
        const at = this.offset(bytes.length);
        out = bytes.subarray(0, at);
        detail = `at ${at}`;
        break;
      }
      case 'bitflip': {
        const flips = 1 + this.int(16);
        const at: number[] = [];
        for (let i = 0; i < flips; i++) {
          const o = this.offset(bytes.length);
          bytes[o]! ^= 1 << this.int(8);
          at.push(o);
        }
        detail = `at ${at.join(',')}`;
        break;
      }
      case 'splat': {
        const o = this.offset(bytes.length);
        const value = this.pick([0x00, 0xff, 0x7f, 0x80, 0x20, 0x0a, this.int(256)]);
        const n = 1 + this.int(8);
        bytes.fill(value, o, Math.min(bytes.length, o + n));
        detail = `${n}x0x${value.toString(16)} at ${o}`;
        break;
      }
      case 'lengthlie':
        [out, detail] = seed.format === 'deb' ? this.debLengthLie(bytes) : this.rpmLengthLie(bytes);
        break;
      case 'swap':
        [out, detail] = seed.format === 'deb' ? this.debSwap(bytes) : this.rpmSwap(bytes);
        break;
      case 'bomb':
        [out, detail] = seed.format === 'deb' ? this.debBomb(bytes) : this.rpmLengthLie(bytes);
        break;
    }
    return {
      label: `${kind} ${detail} of ${seed.filename}`,
      filename: seed.filename,
      distribution: seed.format === 'deb' ? 'debian/bookworm' : 'el/9',
      bytes: out,
    };
  }

  private lie(actual: number): number {
    return this.pick([0, 1, actual - 1, actual + 1, actual * 2, actual * 1000, 0x7fffffff, 0xffffffff]);
  }

  private debLengthLie(deb: Buffer): [Buffer, string] {
    const members = readAr(deb);
    if (!members || members.length === 0) return [deb, 'none'];
    const i = this.int(members.length);
    const m = members[i]!;
    const size = this.pick([String(this.lie(m.data.length)), '-1', '1e3', '0x10', ' ', '99999999999']);
    const header = Buffer.from(m.header);
    header.write(size.padEnd(10, ' ').slice(0, 10), 48, 'latin1');
    const rebuilt = members.map((x, j) => (j === i ? { ...x, header } : x));
    return [writeAr(rebuilt), `member ${i} size ${size}`];
  }

  private rpmLengthLie(rpm: Buffer): [Buffer, string] {
    const headers = rpmHeaders(rpm);
    if (headers.length === 0) return [rpm, 'none'];
    const h = this.pick(headers);
    const count = rpm.readUInt32BE(h + 8);
    const field = this.pick([8, 12, 'entry'] as const);
    if (field === 'entry' && count > 0) {
      // An index entry's offset or count.
      const entry = h + 16 + this.int(count) * 16;
      const which = this.pick([8, 12]);
      rpm.writeUInt32BE(this.lie(rpm.readUInt32BE(entry + which)) >>> 0, entry + which);
      return [rpm, `header@${h} entry@${entry}+${which}`];
    }
    const at = field === 'entry' ? 8 : field;
    rpm.writeUInt32BE(this.lie(rpm.readUInt32BE(h + at)) >>> 0, h + at);
    return [rpm, `header@${h}+${at}`];
  }

  private debSwap(deb: Buffer): [Buffer, string] {
    const members = readAr(deb);
    if (!members || members.length < 3) return [deb, 'none'];
    const [bin, control, data] = members as [ArMember, ArMember, ArMember];
    const rename = (m: ArMember, name: string) => ({ name, data: m.data });
    const variants: [string, { name: string; data: Buffer; header?: Buffer }[]][] = [
      ['control<->data', [bin, data, control]],
      ['data first', [data, bin, control]],
      ['no debian-binary', [control, data]],
      ['control twice', [bin, control, control, data]],
      ['data twice', [bin, control, data, data]],
      ['./control member', [bin, rename(control, `${control.name.replace(/\/$/, '')}/`), data]],
      ['data renamed .gz', [bin, control, rename(data, 'data.tar.gz')]],
      ['data renamed .zst', [bin, control, rename(data, 'data.tar.zst')]],
      ['control renamed .xz', [bin, rename(control, 'control.tar.xz'), data]],
      ['control is data', [bin, rename(data, control.name), data]],
    ];
    const [label, layout] = this.pick(variants);
    return [writeAr(layout), label];
  }

  private rpmSwap(rpm: Buffer): [Buffer, string] {
    const headers = rpmHeaders(rpm);
    if (headers.length < 2) return [rpm, 'none'];
    const [sig, main] = headers as [number, number];
    const mainLen = 16 + rpm.readUInt32BE(main + 8) * 16 + rpm.readUInt32BE(main + 12);
    const lead = rpm.subarray(0, sig);
    const sigBlock = rpm.subarray(sig, main);
    const mainBlock = rpm.subarray(main, main + mainLen);
    const payload = rpm.subarray(main + mainLen);
    const variants: [string, Buffer[]][] = [
      ['headers swapped', [lead, mainBlock, sigBlock, payload]],
      ['main header twice', [lead, sigBlock, mainBlock, mainBlock, payload]],
      ['no signature header', [lead, mainBlock, payload]],
      ['no payload', [lead, sigBlock, mainBlock]],
      ['payload twice', [lead, sigBlock, mainBlock, payload, payload]],
    ];
    const [label, parts] = this.pick(variants);
    return [Buffer.concat(parts), label];
  }

  private debBomb(deb: Buffer): [Buffer, string] {
    const members = readAr(deb);
    if (!members || members.length < 3) return [deb, 'none'];
    const [bin, control, data] = members as [ArMember, ArMember, ArMember];
    const bombs: [string, Buffer][] = [['gz', this.bombs.gz]];
    if (this.bombs.xz) bombs.push(['xz', this.bombs.xz]);
    const [ext, bomb] = this.pick(bombs);
    if (this.rand() < 0.5) {
      return [writeAr([bin, { name: `control.tar.${ext}`, data: bomb }, data]), `control.tar.${ext}`];
    }
    return [writeAr([bin, control, { name: `data.tar.${ext}`, data: bomb }]), `data.tar.${ext}`];
  }
}

export interface FuzzFinding {
  label: string;
  problem: string;
}

export interface FuzzTally {
  seed: number;
  mutants: number;
  byStatus: Record<string, number>;
  findings: FuzzFinding[];
}

/** Checks one answer against the contract; returns what is wrong with it, or null. */
export function contractProblem(answer: UploadAnswer): string | null {
  if (!CONTRACT_STATUSES.has(answer.status)) return `status ${answer.status}: ${answer.text.slice(0, 300)}`;
  if (/\n\s+at |node_modules|\.ts:\d+/.test(answer.text))
    return `stack trace in answer: ${answer.text.slice(0, 300)}`;
  if (answer.status >= 400) {
    const e = answer.json.error;
    if (typeof e?.code !== 'string' || typeof e?.message !== 'string' || !e.message.trim()) {
      return `status ${answer.status} without a contract error: ${answer.text.slice(0, 300)}`;
    }
  }
  return null;
}

export async function runFuzz(opts: {
  uploadsUrl: string;
  token: string;
  seeds: FuzzSeed[];
  seed: number;
  count: number;
  concurrency: number;
  timeoutMs: number;
  onProgress?: (done: number) => void;
}): Promise<FuzzTally> {
  const bombs = { gz: await gzipBomb(64 * 1024 * 1024), xz: xzBomb(64 * 1024 * 1024) };
  const mutator = new Mutator(opts.seed, opts.seeds, bombs);
  const tally: FuzzTally = { seed: opts.seed, mutants: 0, byStatus: {}, findings: [] };
  let issued = 0;
  const worker = async () => {
    while (issued < opts.count) {
      const n = issued++;
      const mutant = mutator.next();
      let problem: string | null;
      let status: string;
      try {
        const answer = await postUpload(opts.uploadsUrl, {
          token: opts.token,
          filename: mutant.filename,
          file: mutant.bytes,
          fields: { distribution: mutant.distribution },
          timeoutMs: opts.timeoutMs,
        });
        status = String(answer.status);
        problem = contractProblem(answer);
      } catch (err) {
        status = err instanceof NoAnswer ? 'no answer' : 'connection error';
        problem = `${status}: ${(err as Error).message}`;
      }
      tally.mutants++;
      tally.byStatus[status] = (tally.byStatus[status] ?? 0) + 1;
      if (problem) tally.findings.push({ label: `#${n} ${mutant.label}`, problem });
      opts.onProgress?.(tally.mutants);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return tally;
}

export function formatTally(t: FuzzTally): string {
  const statuses = Object.entries(t.byStatus)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([s, n]) => `${s}: ${n}`)
    .join(', ');
  const lines = [`fuzz seed ${t.seed}: ${t.mutants} mutants — ${statuses}; ${t.findings.length} findings`];
  for (const f of t.findings.slice(0, 50)) lines.push(`  ${f.label}: ${f.problem}`);
  return lines.join('\n');
}

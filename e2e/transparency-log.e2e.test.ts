// The transparency log from a client machine's point of view: the /log endpoints over HTTP, and
// `pallet verify` (the real CLI process) against an honest server, a compromised mirror serving an
// InRelease forged with the stolen repository key but never logged, and a server whose log forks from
// the checkpoint the client saw. The mirror/compromised host is a small local HTTP server in front of
// the real Pallet.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PalletClient } from '@pallet/api-client';
import {
  clearsignText,
  openPrivateKey,
  openSealedWithMasterKey,
  parseMasterKey,
  verifyCleartext,
} from '@pallet/openpgp';
import {
  appendLeaves,
  consistencyProofRanges,
  createNoteSigner,
  formatCheckpoint,
  formatLogEntry,
  hashLeaf,
  hashRanges,
  inclusionProofRanges,
  nodeKey,
  openNote,
  parseCheckpoint,
  parseCosignerVerifierKey,
  parseVerifierKey,
  signNote,
} from '@pallet/tlog';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliCommand } from './support/cli';
import { buildDeb } from './support/deb-builder';
import { buildRpm } from './support/rpm-builder';
import { freePort, type RunningPallet, startPallet } from './support/server';

const ORG = 'acme';
const REPO = 'tools';
const DIST = 'debian/bookworm';
const DL_PREFIX = `/dl/${ORG}/${REPO}/deb/debian`;

let pallet: RunningPallet;
let api: PalletClient;
let token: string;
let work: string;
let statePath: string;
let front: http.Server;
let frontUrl: string;
/** What the stand-in host answers itself; anything else goes to the real Pallet. */
const overrides = new Map<string, { type: string; body: string }>();

function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Runs the real CLI as a customer machine would; PALLET_URL is the host the machine talks to. Async:
 * the stand-in host runs in this process and must keep answering while the CLI waits on it.
 */
function pallet_verify(...extra: string[]): Promise<{ code: number | null; out: string }> {
  const cli = cliCommand();
  const child = spawn(
    cli.command,
    [...cli.args, 'verify', `${ORG}/${REPO}`, DIST, '--state', statePath, ...extra],
    { env: { ...process.env, PALLET_URL: frontUrl, PALLET_TOKEN: token }, timeout: 60_000 },
  );
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

async function publish(name: string, version: string) {
  const deb = buildDeb(work, { name, version });
  const upload = await api.uploadPackage(ORG, REPO, deb, { distribution: DIST });
  const done = await api.waitForPackage(ORG, REPO, upload.data.id, 60_000);
  expect(done.status).toBe('published');
}

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: pallet.instance.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

function masterKey() {
  return parseMasterKey(pallet.instance.env.PALLET_MASTER_KEY!);
}

/** What an attacker holding the repository's signing key makes: a valid InRelease nobody else sees. */
async function forgeInRelease(): Promise<string> {
  const [key] = await query<{ fingerprint: string; sealedPrivateKey: Buffer; publicKeyArmored: string }>(
    `SELECT k.fingerprint, k."sealedPrivateKey", k."publicKeyArmored" FROM "SigningKey" k
       JOIN "Repository" r ON r.id = k."repositoryId" WHERE r.slug = $1 AND k.status = 'ACTIVE'`,
    [REPO],
  );
  const privateKey = openSealedWithMasterKey(
    new Uint8Array(key!.sealedPrivateKey),
    masterKey(),
    key!.fingerprint,
  );
  const release = await (await fetch(`${pallet.baseUrl}${DL_PREFIX}/dists/bookworm/Release`)).text();
  const forged = await clearsignText(
    release.replace(/^Description: .*$/m, 'Description: targeted build for one victim'),
    [privateKey],
  );
  const check = await verifyCleartext(forged, [key!.publicKeyArmored]);
  expect(check.valid).toBe(true);
  return forged;
}

/** The log's signer, as someone who stole the log key would hold it. */
async function stolenLogSigner() {
  const [row] = await query<{ name: string; sealedPrivateKey: Buffer }>(
    `SELECT name, "sealedPrivateKey" FROM "TransparencyLogKey" WHERE id = 1`,
  );
  const pem = openPrivateKey(
    new Uint8Array(row!.sealedPrivateKey),
    masterKey(),
    `transparency-log:${row!.name}`,
  );
  return createNoteSigner(row!.name, pem);
}

/** Merkle hashes of any leaf list, from the same RFC 9162 code the client uses to verify. */
function treeOf(leaves: Uint8Array[]) {
  const grown = appendLeaves(0, [], leaves.map(hashLeaf));
  const nodes = new Map(grown.nodes.map((n) => [nodeKey(n), n.hash]));
  return { root: grown.rootHash, nodes };
}

beforeAll(async () => {
  pallet = await startPallet('tlog');
  work = mkdtempSync(join(tmpdir(), 'pallet-tlog-e2e-'));
  statePath = join(work, 'state', 'verify.json');
  api = new PalletClient(pallet.baseUrl);
  const signup = await api.signup('owner@acme.test', 'correct horse battery staple', ORG);
  token = signup.token;
  api = api.withToken(token);
  await api.createRepository(ORG, { name: REPO, visibility: 'public', keyAlgorithm: 'ed25519' });
  const port = await freePort();
  frontUrl = `http://127.0.0.1:${port}`;
  front = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', frontUrl);
    const own = overrides.get(url.pathname);
    if (own) {
      res.writeHead(200, { 'content-type': own.type }).end(own.body);
      return;
    }
    const upstream = await fetch(`${pallet.baseUrl}${url.pathname}${url.search}`, {
      headers: req.headers.authorization ? { authorization: req.headers.authorization } : {},
    });
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'text/plain' });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => front.listen(port, '127.0.0.1', resolve));
}, 180_000);

afterAll(async () => {
  front?.close();
  await pallet?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('transparency log over HTTP', () => {
  it('serves a checkpoint signed by the published key, and proofs for the served InRelease', async () => {
    await publish('log-hello', '1.0-1');
    const keyRes = await fetch(`${pallet.baseUrl}/api/v1/log/key`);
    expect(keyRes.headers.get('content-type')).toMatch(/^text\/plain/);
    const verifier = parseVerifierKey(await keyRes.text());
    const cpRes = await fetch(`${pallet.baseUrl}/api/v1/log/checkpoint`);
    expect(cpRes.status).toBe(200);
    expect(cpRes.headers.get('content-type')).toMatch(/^text\/plain/);
    const cp = parseCheckpoint(openNote(await cpRes.text(), [verifier]).text);
    expect(cp.origin).toBe(verifier.name);
    expect(cp.treeSize).toBeGreaterThanOrEqual(2);
    const inRelease = new Uint8Array(
      await (await fetch(`${pallet.baseUrl}${DL_PREFIX}/dists/bookworm/InRelease`)).arrayBuffer(),
    );
    const proof = await api.logInclusionProof(sha256(inRelease));
    expect(proof.treeSize).toBe(cp.treeSize);
    expect(Buffer.from(proof.leaf, 'base64').toString()).toContain(`sha256 ${sha256(inRelease)}\n`);
    const entries = await (
      await fetch(`${pallet.baseUrl}/api/v1/log/entries?start=0&end=${cp.treeSize}`)
    ).json();
    expect(entries.items.map((e: { sha256: string }) => e.sha256)).toContain(sha256(inRelease));
  });

  it('answers malformed or out-of-range queries with 400 in the contract shape', async () => {
    const size = parseCheckpoint(
      (await (await fetch(`${pallet.baseUrl}/api/v1/log/checkpoint`)).text()).split('\n\n')[0]! + '\n',
    ).treeSize;
    for (const path of [
      '/log/proof',
      '/log/proof?sha256=zz',
      `/log/proof?sha256=${'a'.repeat(64)}&treeSize=-1`,
      `/log/proof?sha256=${'a'.repeat(64)}&treeSize=${size + 1}`,
      '/log/consistency?from=2&to=1',
      `/log/consistency?from=1&to=${size + 1}`,
      '/log/consistency?from=x&to=1',
      '/log/entries?start=0',
      `/log/entries?start=0&end=${size + 1}`,
    ]) {
      const res = await fetch(`${pallet.baseUrl}/api/v1${path}`);
      expect(res.status, path).toBe(400);
      expect((await res.json()).error.code, path).toMatch(/^(invalid_query|beyond_tree_size)$/);
    }
    const missing = await fetch(`${pallet.baseUrl}/api/v1/log/proof?sha256=${'a'.repeat(64)}`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('not_in_log');
  });
});

describe('pallet verify', () => {
  it('proves the served InRelease, pins the log key, then proves the log only grew', async () => {
    const first = await pallet_verify('--base-url', `${frontUrl}${DL_PREFIX}`);
    const firstSize = JSON.parse(readFileSync(statePath, 'utf8')).logs[frontUrl].treeSize as number;
    expect(first.out).toMatch(/first use: pinned now/);
    expect(first.out).toMatch(/^OK: this InRelease is in Pallet's public log/m);
    expect(first.code, first.out).toBe(0);
    await publish('log-hello', '1.0-2');
    const second = await pallet_verify('--base-url', `${frontUrl}${DL_PREFIX}`);
    expect(second.out).toMatch(/\(pinned\)/);
    expect(second.out).toMatch(/consistent with the checkpoint seen .* at tree size \d+/);
    expect(second.code, second.out).toBe(0);
    expect(JSON.parse(readFileSync(statePath, 'utf8')).logs[frontUrl].treeSize).toBeGreaterThan(firstSize);
  });

  it('reports an InRelease signed with the repository key but never logged (a compromised mirror)', async () => {
    const forged = await forgeInRelease();
    overrides.set(`${DL_PREFIX}/dists/bookworm/InRelease`, { type: 'text/plain', body: forged });
    try {
      const run = await pallet_verify('--base-url', `${frontUrl}${DL_PREFIX}`);
      expect(run.out).toContain(`sha256    ${sha256(forged)}`);
      expect(run.out).toMatch(/NOT IN THE LOG: this InRelease .* is not among the log's \d+ entries/);
      expect(run.code, run.out).toBe(3);
      // The honest index from the real server still verifies with the same state.
      const honest = await pallet_verify();
      expect(honest.code, honest.out).toBe(0);
    } finally {
      overrides.clear();
    }
  });

  it('reports a checkpoint that forks from the one it saw, even signed with the real log key', async () => {
    const seen = JSON.parse(readFileSync(statePath, 'utf8')).logs[frontUrl] as { treeSize: number };
    const n = seen.treeSize;
    const forged = await forgeInRelease();
    const real = (await (await fetch(`${pallet.baseUrl}/api/v1/log/entries?start=0&end=${n}`)).json()) as {
      items: { leaf: string }[];
    };
    const forgedLeaf = formatLogEntry({
      sha256: sha256(forged),
      file: 'InRelease',
      format: 'deb',
      repository: `${ORG}/${REPO}`,
      distribution: DIST,
      publishedAt: new Date(),
      keyFingerprints: [],
    });
    // A history in which the forged index replaced the last entry the client saw, then grew by one.
    const leaves = real.items.map((e) => new Uint8Array(Buffer.from(e.leaf, 'base64')));
    const forkLeaves = [...leaves.slice(0, n - 1), forgedLeaf, leaves[n - 1]!];
    const fork = treeOf(forkLeaves);
    const signer = await stolenLogSigner();
    const b64 = (xs: Uint8Array[]) => xs.map((x) => Buffer.from(x).toString('base64'));
    const note = (size: number, root: Uint8Array) =>
      signNote(formatCheckpoint({ origin: signer.name, treeSize: size, rootHash: root, extensions: [] }), [
        signer,
      ]);
    overrides.set(`${DL_PREFIX}/dists/bookworm/InRelease`, { type: 'text/plain', body: forged });
    overrides.set('/api/v1/log/checkpoint', { type: 'text/plain', body: note(n + 1, fork.root) });
    overrides.set('/api/v1/log/consistency', {
      type: 'application/json',
      body: JSON.stringify({ proof: b64(hashRanges(consistencyProofRanges(n, n + 1), fork.nodes)) }),
    });
    overrides.set('/api/v1/log/proof', {
      type: 'application/json',
      body: JSON.stringify({
        leafIndex: n - 1,
        treeSize: n + 1,
        leaf: Buffer.from(forgedLeaf).toString('base64'),
        auditPath: b64(hashRanges(inclusionProofRanges(n - 1, n + 1), fork.nodes)),
      }),
    });
    try {
      const before = readFileSync(statePath, 'utf8');
      const run = await pallet_verify('--base-url', `${frontUrl}${DL_PREFIX}`);
      expect(run.out).toMatch(/signature verified/);
      expect(run.out).toMatch(
        new RegExp(
          `LOG FORK: the checkpoint at tree size ${n + 1} does not extend the one seen .* at tree size ${n}`,
        ),
      );
      expect(run.code, run.out).toBe(4);
      expect(readFileSync(statePath, 'utf8')).toBe(before);
      // Same size, different root: a fork too.
      const sameSize = treeOf(forkLeaves.slice(0, n));
      overrides.set('/api/v1/log/checkpoint', { type: 'text/plain', body: note(n, sameSize.root) });
      const again = await pallet_verify('--base-url', `${frontUrl}${DL_PREFIX}`);
      expect(again.out).toMatch(/LOG FORK: .*same size, different root/);
      expect(again.code, again.out).toBe(4);
    } finally {
      overrides.clear();
    }
  });

  it('refuses a checkpoint not signed by the pinned log key', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { privateKey } = generateKeyPairSync('ed25519');
    const impostor = createNoteSigner(
      (await stolenLogSigner()).name,
      privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    );
    const real = parseCheckpoint(
      (await (await fetch(`${pallet.baseUrl}/api/v1/log/checkpoint`)).text()).split('\n\n')[0]! + '\n',
    );
    overrides.set('/api/v1/log/checkpoint', {
      type: 'text/plain',
      body: signNote(formatCheckpoint(real), [impostor]),
    });
    try {
      const run = await pallet_verify();
      expect(run.out).toMatch(/UNTRUSTED CHECKPOINT: Note is not signed by a known key/);
      expect(run.code, run.out).toBe(5);
    } finally {
      overrides.clear();
    }
  });
});

describe('pallet verify on rpm and private repositories', () => {
  function verifyAs(target: string, dist: string, extra: string[] = []) {
    const cli = cliCommand();
    const child = spawn(
      cli.command,
      [...cli.args, 'verify', target, dist, '--state', join(work, 'other-state.json'), ...extra],
      { env: { ...process.env, PALLET_URL: pallet.baseUrl, PALLET_TOKEN: token }, timeout: 60_000 },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    return new Promise<{ code: number | null; out: string }>((resolve) =>
      child.on('close', (code) => resolve({ code, out })),
    );
  }

  it('proves the repomd.xml dnf is served', async () => {
    const rpm = buildRpm(work, { name: 'log-tool', version: '1.0', release: '1', arch: 'noarch' });
    const upload = await api.uploadPackage(ORG, REPO, rpm, { distribution: 'el/9' });
    expect((await api.waitForPackage(ORG, REPO, upload.data.id, 60_000)).status).toBe('published');
    const run = await verifyAs(`${ORG}/${REPO}`, 'el/9');
    expect(run.out).toMatch(/index {5}http:\/\/.*\/rpm\/el\/9\/repodata\/repomd\.xml/);
    expect(run.out).toMatch(/included {2}entry \d+: repomd\.xml rpm/);
    expect(run.code, run.out).toBe(0);
  });

  it('proves a private repository index fetched with a read token, whose entry hides the names', async () => {
    await api.createRepository(ORG, { name: 'hidden', visibility: 'private', keyAlgorithm: 'ed25519' });
    const deb = buildDeb(work, { name: 'secret-tool', version: '1.0-1' });
    const upload = await api.uploadPackage(ORG, 'hidden', deb, { distribution: DIST });
    expect((await api.waitForPackage(ORG, 'hidden', upload.data.id, 60_000)).status).toBe('published');
    const run = await verifyAs(`${ORG}/hidden`, DIST);
    expect(run.out).toMatch(/included {2}entry \d+: InRelease deb, .*\(private: names committed\)/);
    expect(run.code, run.out).toBe(0);
    const size = parseCheckpoint(
      (await (await fetch(`${pallet.baseUrl}/api/v1/log/checkpoint`)).text()).split('\n\n')[0]! + '\n',
    ).treeSize;
    const entries = await (await fetch(`${pallet.baseUrl}/api/v1/log/entries?start=0&end=${size}`)).text();
    expect(entries).not.toMatch(/hidden|secret-tool/);
    expect(entries).toMatch(/"commitment":"[0-9a-f]{64}"/);
  });
});

describe('witnessing', () => {
  let witness: RunningPallet;

  beforeAll(async () => {
    const logKey = (await (await fetch(`${pallet.baseUrl}/api/v1/log/key`)).text()).trim();
    witness = await startPallet('tlogw', { PALLET_WITNESS_LOGS: logKey });
  }, 180_000);

  afterAll(async () => {
    await witness?.stop();
  });

  function witnessPush(server: string) {
    return cliAt(server, ['witness-push', witness.baseUrl], '');
  }

  function cliAt(
    server: string,
    args: string[],
    withToken = token,
  ): Promise<{ code: number | null; out: string }> {
    const cli = cliCommand();
    const child = spawn(cli.command, [...cli.args, ...args], {
      env: { ...process.env, PALLET_URL: server, PALLET_TOKEN: withToken },
      timeout: 60_000,
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
  }

  it('another instance cosigns the log, then only checkpoints consistent with what it cosigned', async () => {
    const witnessKeyText = (await (await fetch(`${witness.baseUrl}/api/v1/log/witness`)).text()).trim();
    const cosignerKey = parseCosignerVerifierKey(witnessKeyText);
    const first = await witnessPush(pallet.baseUrl);
    expect(first.code, first.out).toBe(0);
    const line = /^\u2014 .+$/m.exec(first.out)![0];
    const note = await (await fetch(`${pallet.baseUrl}/api/v1/log/checkpoint`)).text();
    expect(openNote(`${note}${line}\n`, [cosignerKey]).verifiedBy).toEqual([cosignerKey.name]);

    await publish('log-hello', '1.0-3');
    const second = await witnessPush(pallet.baseUrl);
    expect(second.out).toMatch(/cosigned .* \(consistent with its size [1-9]\d*\)/);
    expect(second.code, second.out).toBe(0);

    // A forked checkpoint, even signed with the log's real key, is refused.
    const signer = await stolenLogSigner();
    const size = parseCheckpoint(note.split('\n\n')[0]! + '\n').treeSize;
    overrides.set('/api/v1/log/checkpoint', {
      type: 'text/plain',
      body: signNote(
        formatCheckpoint({
          origin: signer.name,
          treeSize: size + 5,
          rootHash: new Uint8Array(32).fill(7),
          extensions: [],
        }),
        [signer],
      ),
    });
    overrides.set('/api/v1/log/consistency', {
      type: 'application/json',
      body: JSON.stringify({ proof: [1, 2, 3].map((b) => Buffer.alloc(32, b).toString('base64')) }),
    });
    const witnessArgs = ['--witness-key', witnessKeyText, '--witness-url', witness.baseUrl];
    try {
      const forked = await witnessPush(frontUrl);
      expect(forked.out).toMatch(/refused .* 400 .*inconsistent_checkpoint/);
      expect(forked.code, forked.out).toBe(1);
      // A machine seeing the log for the first time is shown the fork: only the witness can tell.
      const newcomer = await cliAt(frontUrl, [
        'verify',
        `${ORG}/${REPO}`,
        DIST,
        '--state',
        join(work, 'newcomer.json'),
        ...witnessArgs,
      ]);
      expect(newcomer.out).toMatch(
        /LOG FORK: witness .* cosigned tree size \d+ .*another history than the witness/,
      );
      expect(newcomer.code, newcomer.out).toBe(4);
    } finally {
      overrides.clear();
    }
    const honest = await cliAt(pallet.baseUrl, [
      'verify',
      `${ORG}/${REPO}`,
      DIST,
      '--state',
      join(work, 'witnessed.json'),
      ...witnessArgs,
    ]);
    expect(honest.out).toMatch(
      /witnessed .* cosigned tree size \d+ at .*: consistent with the served checkpoint/,
    );
    expect(honest.code, honest.out).toBe(0);
  });
});

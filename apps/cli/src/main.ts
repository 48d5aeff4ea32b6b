#!/usr/bin/env node
// `pallet` — the CI client: push packages, wait until they are published, print setup instructions.
// Credentials come from PALLET_TOKEN, the server from PALLET_URL (default http://localhost:3000).
import { parseArgs } from 'node:util';
import { ApiError, PalletClient } from '@pallet/api-client';
import { defaultStatePath } from './log-state';
import { pushToWitness } from './push-to-witness';
import { verifyIndex } from './verify-index';

const USAGE = `usage:
  pallet push ORG/REPO DISTRIBUTION FILE... [--component main] [--overwrite] [--no-wait]
  pallet packages ORG/REPO [--distribution D] [--q TEXT]
  pallet setup ORG/REPO DISTRIBUTION
  pallet verify ORG/REPO DISTRIBUTION [--base-url URL | --file PATH] [--format deb|rpm]
                [--log-key VKEY] [--state FILE] [--witness-key VKEY --witness-url URL]
      proves the served InRelease/repomd.xml is in Pallet's transparency log, under a checkpoint
      signed by the log key (pinned on first use) and consistent with the last one seen.
      exit 0 proved, 1 error, 3 not in the log (split view?), 4 log fork, 5 untrusted checkpoint
  pallet witness-push WITNESS_URL
      asks another Pallet instance to cosign this server's newest log checkpoint (witnessing)
environment: PALLET_TOKEN (required, except for verify with --format and --base-url/--file),
             PALLET_URL (default http://localhost:3000), PALLET_VERIFY_STATE (verify's state file)`;

function splitRepo(value: string | undefined): [string, string] {
  const [org, repo, extra] = (value ?? '').split('/');
  if (!org || !repo || extra !== undefined) throw new UsageError('expected ORG/REPO');
  return [org, repo];
}

class UsageError extends Error {}

function witnessOption(key: string | undefined, url: string | undefined) {
  if (!key && !url) return undefined;
  if (!key || !url) throw new UsageError('--witness-key and --witness-url go together');
  return { key, url };
}

export async function runCli(
  argv: string[],
  env: Record<string, string | undefined>,
  out = console.log,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      component: { type: 'string' },
      overwrite: { type: 'boolean', default: false },
      'no-wait': { type: 'boolean', default: false },
      distribution: { type: 'string' },
      q: { type: 'string' },
      'base-url': { type: 'string' },
      file: { type: 'string' },
      format: { type: 'string' },
      'log-key': { type: 'string' },
      state: { type: 'string' },
      'witness-key': { type: 'string' },
      'witness-url': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    out(USAGE);
    return command ? 0 : 2;
  }
  const token = env.PALLET_TOKEN;
  const server = (env.PALLET_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
  if (command === 'verify') {
    const [org, repo] = splitRepo(rest[0]);
    if (!rest[1]) throw new UsageError('verify needs DISTRIBUTION');
    const format = values.format;
    if (format !== undefined && format !== 'deb' && format !== 'rpm')
      throw new UsageError('--format is deb or rpm');
    return verifyIndex(
      {
        org,
        repo,
        distribution: rest[1],
        server,
        client: new PalletClient(server, token),
        token,
        baseUrl: values['base-url'],
        file: values.file,
        format,
        logKey: values['log-key'],
        statePath: values.state ?? env.PALLET_VERIFY_STATE ?? defaultStatePath(env),
        witness: witnessOption(values['witness-key'], values['witness-url']),
      },
      out,
    );
  }
  if (command === 'witness-push') {
    if (!rest[0]) throw new UsageError('witness-push needs WITNESS_URL');
    return pushToWitness(new PalletClient(server), rest[0], out);
  }
  if (!token) throw new UsageError('PALLET_TOKEN is not set');
  const client = new PalletClient(server, token);
  if (command === 'push') {
    const [target, distribution, ...files] = rest;
    const [org, repo] = splitRepo(target);
    if (!distribution || files.length === 0)
      throw new UsageError('push needs DISTRIBUTION and at least one FILE');
    let failures = 0;
    for (const file of files) {
      const { status, data } = await client.uploadPackage(org, repo, file, {
        distribution,
        component: values.component,
        overwrite: values.overwrite,
      });
      out(
        `${status === 200 ? 'already there' : 'uploaded'}: ${data.name} ${data.version} ${data.architecture} (${data.id})`,
      );
      if (!values['no-wait']) {
        const done = await client.waitForPackage(org, repo, data.id, 120_000);
        out(`${done.status}: ${done.name} ${done.version}${done.error ? ` — ${done.error}` : ''}`);
        if (done.status === 'failed') failures++;
      }
    }
    return failures ? 1 : 0;
  }
  if (command === 'packages') {
    const [org, repo] = splitRepo(rest[0]);
    const query: Record<string, string> = {};
    if (values.distribution) query.distribution = values.distribution;
    if (values.q) query.q = values.q;
    const list = await client.listPackages(org, repo, query);
    for (const p of list.items)
      out(`${p.status}\t${p.distribution}\t${p.name}\t${p.version}\t${p.architecture}`);
    return 0;
  }
  if (command === 'setup') {
    const [org, repo] = splitRepo(rest[0]);
    if (!rest[1]) throw new UsageError('setup needs DISTRIBUTION');
    out((await client.setup(org, repo, rest[1])).script);
    return 0;
  }
  throw new UsageError(`unknown command ${command}`);
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '');
if (isMain) {
  runCli(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (err) => {
      if (err instanceof UsageError) console.error(`pallet: ${err.message}\n${USAGE}`);
      else if (err instanceof ApiError) console.error(`pallet: ${err.status} ${err.code}: ${err.message}`);
      else console.error(`pallet: ${(err as Error).message}`);
      process.exit(err instanceof UsageError ? 2 : 1);
    },
  );
}

#!/usr/bin/env node
// `pallet` — the CI client: push packages, wait until they are published, print setup instructions.
// Credentials come from PALLET_TOKEN, the server from PALLET_URL (default http://localhost:3000).
import { parseArgs } from 'node:util';
import { ApiError, PalletClient } from '@pallet/api-client';

const USAGE = `usage:
  pallet push ORG/REPO DISTRIBUTION FILE... [--component main] [--overwrite] [--no-wait]
  pallet packages ORG/REPO [--distribution D] [--q TEXT]
  pallet setup ORG/REPO DISTRIBUTION
environment: PALLET_TOKEN (required), PALLET_URL (default http://localhost:3000)`;

function splitRepo(value: string | undefined): [string, string] {
  const [org, repo, extra] = (value ?? '').split('/');
  if (!org || !repo || extra !== undefined) throw new UsageError('expected ORG/REPO');
  return [org, repo];
}

class UsageError extends Error {}

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
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    out(USAGE);
    return command ? 0 : 2;
  }
  const token = env.PALLET_TOKEN;
  if (!token) throw new UsageError('PALLET_TOKEN is not set');
  const client = new PalletClient((env.PALLET_URL ?? 'http://localhost:3000').replace(/\/+$/, ''), token);
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

// `pallet` — the CI client: push packages, wait until they are published, print setup instructions,
// verify the transparency log. Credentials: PALLET_TOKEN, or a CI job's OIDC identity (ci-credentials).
import { parseArgs } from 'node:util';
import { ApiError, PalletClient } from '@pallet/api-client';
import pkg from '../package.json' with { type: 'json' };
import { resolveToken } from './ci-credentials';
import { EXIT, exitForStatus, UsageError } from './exit-codes';
import { expandFiles } from './expand-files';
import { defaultStatePath } from './log-state';
import { listVulnerabilities, manageDistributions, manageKeys, printSbom } from './manage';
import { createProgress, silentProgress } from './progress';
import { pushPackages } from './push';
import { pushToWitness } from './push-to-witness';
import { RELEASE_COMMANDS, RELEASE_USAGE, runReleaseCommand } from './release-commands';
import { DEFAULT_RETRY, describeNetworkError, type RetryPolicy, retryingFetch } from './retry';
import { verifyIndex } from './verify-index';

export const VERSION: string = pkg.version;

export const USAGE = `pallet ${VERSION} — push packages to a Pallet server from CI

usage:
  pallet push ORG/REPO DISTRIBUTION FILE|GLOB... [--component main] [--overwrite]
              [--no-wait] [--timeout 10m] [--json]
      uploads (429/5xx retried with backoff), then waits until each package is published.
      exit 0 published, 1 usage, 2 credentials refused (401/403), 3 request or file refused,
           4 publication failed, 5 --timeout passed, 6 server unreachable / kept failing
  pallet packages ORG/REPO [--distribution D] [--q TEXT] [--json]
  pallet setup ORG/REPO DISTRIBUTION
${RELEASE_USAGE}
  pallet keys [list] ORG/REPO | keys rotate ORG/REPO [--algorithm rsa4096|ed25519]
  pallet keys retire ORG/REPO FINGERPRINT | keys revoke ORG/REPO FINGERPRINT --reason TEXT
  pallet distributions ORG/REPO
  pallet vulnerabilities ORG/REPO [--distribution D] [--severity S] [--package NAME] [--fail-on S]
      exit 7 when --fail-on is given and a finding has that severity or a higher one
  pallet sbom ORG/REPO PUBLICATION_ID [--format cyclonedx|spdx]
  pallet verify ORG/REPO DISTRIBUTION [--base-url URL | --file PATH] [--format deb|rpm]
                [--log-key VKEY] [--state FILE] [--witness-key VKEY --witness-url URL]
      proves the served InRelease/repomd.xml is in Pallet's transparency log, under a checkpoint
      signed by the log key (pinned on first use) and consistent with the last one seen.
      exit 0 proved, 1 error, 3 not in the log (split view?), 4 log fork, 5 untrusted checkpoint
  pallet witness-push WITNESS_URL
      asks another Pallet instance to cosign this server's newest log checkpoint (witnessing)
  pallet --version

environment:
  PALLET_URL      the server (default http://localhost:3000)
  PALLET_TOKEN    an API token; without it, a CI job's OIDC ID token is exchanged for a short-lived
                  one (GitHub Actions with id-token: write, or PALLET_ID_TOKEN, e.g. GitLab id_tokens)
  PALLET_OIDC_AUDIENCE  the audience asked of GitHub (default: PALLET_URL's origin)
  PALLET_VERIFY_STATE   verify's state file`;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  retry?: RetryPolicy;
}

function splitRepo(value: string | undefined): [string, string] {
  const [org, repo, extra] = (value ?? '').split('/');
  if (!org || !repo || extra !== undefined) throw new UsageError('expected ORG/REPO');
  return [org, repo];
}

function witnessOption(key: string | undefined, url: string | undefined) {
  if (!key && !url) return undefined;
  if (!key || !url) throw new UsageError('--witness-key and --witness-url go together');
  return { key, url };
}

/** `90`, `90s`, `15m`, `1h` → milliseconds. */
export function parseDuration(value: string): number {
  const m = /^(\d+)(s|m|h)?$/.exec(value.trim());
  if (!m) throw new UsageError(`--timeout ${value}: expected seconds or a number with s, m or h`);
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 's' | 'm' | 'h'];
}

async function runCommand(
  argv: string[],
  env: Record<string, string | undefined>,
  io: CliIo,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      component: { type: 'string' },
      overwrite: { type: 'boolean', default: false },
      wait: { type: 'boolean', default: true },
      'no-wait': { type: 'boolean', default: false },
      timeout: { type: 'string', default: '10m' },
      json: { type: 'boolean', default: false },
      distribution: { type: 'string' },
      q: { type: 'string' },
      'base-url': { type: 'string' },
      file: { type: 'string' },
      format: { type: 'string' },
      'log-key': { type: 'string' },
      state: { type: 'string' },
      'witness-key': { type: 'string' },
      'witness-url': { type: 'string' },
      'match-version': { type: 'string' },
      arch: { type: 'string' },
      'to-repo': { type: 'string' },
      id: { type: 'string' },
      keep: { type: 'string' },
      'max-age-days': { type: 'string' },
      off: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      algorithm: { type: 'string' },
      reason: { type: 'string' },
      severity: { type: 'string' },
      package: { type: 'string' },
      'fail-on': { type: 'string' },
      version: { type: 'boolean', short: 'V', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.version) {
    io.out(VERSION);
    return EXIT.ok;
  }
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    io.out(USAGE);
    return command || values.help ? EXIT.ok : EXIT.usage;
  }
  const server = (env.PALLET_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
  const retry: RetryPolicy = {
    ...(io.retry ?? DEFAULT_RETRY),
    onRetry: ({ attempt, delayMs, reason }) =>
      io.err(`pallet: ${reason}, retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt + 1})`),
  };
  const anonymous = new PalletClient(server, undefined, retryingFetch(retry));
  if (command === 'verify') {
    const [org, repo] = splitRepo(rest[0]);
    if (!rest[1]) throw new UsageError('verify needs DISTRIBUTION');
    const format = values.format;
    if (format !== undefined && format !== 'deb' && format !== 'rpm')
      throw new UsageError('--format is deb or rpm');
    const token = env.PALLET_TOKEN;
    return verifyIndex(
      {
        org,
        repo,
        distribution: rest[1],
        server,
        client: token ? anonymous.withToken(token) : anonymous,
        token,
        baseUrl: values['base-url'],
        file: values.file,
        format,
        logKey: values['log-key'],
        statePath: values.state ?? env.PALLET_VERIFY_STATE ?? defaultStatePath(env),
        witness: witnessOption(values['witness-key'], values['witness-url']),
      },
      io.out,
    );
  }
  if (command === 'witness-push') {
    if (!rest[0]) throw new UsageError('witness-push needs WITNESS_URL');
    return pushToWitness(anonymous, rest[0], io.out);
  }
  // `keys rotate ORG/REPO …`: the action comes before ORG/REPO; a bare `keys ORG/REPO` lists.
  const keyAction = command === 'keys' && rest[0] && !rest[0].includes('/') ? rest.shift()! : 'list';
  const [org, repo] = splitRepo(rest[0]);
  const credentials = await resolveToken(anonymous, env, org);
  if (!credentials) {
    io.err('pallet: no credentials: set PALLET_TOKEN, or run in a CI job that can hand out an OIDC ID token');
    return EXIT.auth;
  }
  const client = anonymous.withToken(credentials.token);
  if (command === 'push') {
    const [, distribution, ...patterns] = rest;
    if (!distribution || patterns.length === 0)
      throw new UsageError('push needs DISTRIBUTION and at least one FILE');
    return pushPackages(
      {
        client,
        server,
        token: credentials.token,
        retry,
        progress: values.json ? silentProgress : createProgress(io.stderr),
        out: io.out,
        err: io.err,
      },
      {
        org,
        repo,
        distribution,
        files: expandFiles(patterns),
        component: values.component,
        overwrite: values.overwrite,
        wait: values.wait && !values['no-wait'],
        timeoutMs: parseDuration(values.timeout),
        json: values.json,
      },
    );
  }
  if (command === 'packages') {
    const query: Record<string, string> = {};
    if (values.distribution) query.distribution = values.distribution;
    if (values.q) query.q = values.q;
    const list = await client.listPackages(org, repo, query);
    if (values.json) io.out(JSON.stringify(list, null, 2));
    else
      for (const p of list.items)
        io.out(`${p.status}\t${p.distribution}\t${p.name}\t${p.version}\t${p.architecture}`);
    return EXIT.ok;
  }
  if (RELEASE_COMMANDS.has(command))
    return runReleaseCommand(command, client, org, repo, rest.slice(1), values, io.out);
  if (command === 'setup') {
    if (!rest[1]) throw new UsageError('setup needs DISTRIBUTION');
    io.out((await client.setup(org, repo, rest[1])).script);
    return EXIT.ok;
  }
  const manage = { client, org, repo, rest: rest.slice(1), values, out: io.out };
  if (command === 'keys') return manageKeys(manage, keyAction);
  if (command === 'distributions') return manageDistributions(manage);
  if (command === 'vulnerabilities') return listVulnerabilities(manage);
  if (command === 'sbom') return printSbom(manage);
  throw new UsageError(`unknown command ${command}`);
}

/** Runs one invocation; every failure becomes a message on stderr and its documented exit code. */
export async function runCli(
  argv: string[],
  env: Record<string, string | undefined>,
  io: CliIo,
): Promise<number> {
  try {
    return await runCommand(argv, env, io);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`pallet: ${(err as Error).message}\n(run pallet --help for usage)`);
      return EXIT.usage;
    }
    if (err instanceof ApiError) {
      io.err(`pallet: ${err.status} ${err.code}: ${err.message}`);
      return exitForStatus(err.status);
    }
    if (err instanceof TypeError && err.message === 'fetch failed') {
      io.err(`pallet: cannot reach the server: ${describeNetworkError(err)}`);
      return EXIT.unavailable;
    }
    io.err(`pallet: ${(err as Error).message}`);
    return EXIT.usage;
  }
}

// `pallet push ORG/REPO DIST FILE...`: uploads every file (streamed, with progress and retries), then by
// default waits until each package is published or failed, and sums the outcomes up in the exit code.
import { statSync } from 'node:fs';
import { ApiError, type PackageInfo, type PalletClient } from '@pallet/api-client';
import { EXIT, exitForStatus, UsageError, worstExit } from './exit-codes';
import type { Progress } from './progress';
import type { RetryPolicy } from './retry';
import { describeNetworkError } from './retry';
import { uploadPackageFile } from './upload-package';

export interface PushOptions {
  org: string;
  repo: string;
  distribution: string;
  files: string[];
  component?: string;
  overwrite: boolean;
  wait: boolean;
  timeoutMs: number;
  pollMs?: number;
  json: boolean;
}

export interface PushContext {
  client: PalletClient;
  server: string;
  token: string;
  retry: RetryPolicy;
  progress: Progress;
  out: (line: string) => void;
  err: (line: string) => void;
}

type Outcome = 'uploaded' | 'published' | 'failed' | 'refused' | 'timeout' | 'unavailable';

interface FileResult {
  file: string;
  outcome: Outcome;
  exitCode: number;
  httpStatus?: number;
  package?: PackageInfo;
  error?: { code: string; message: string };
}

function describe(p: PackageInfo): string {
  return `${p.name} ${p.version} ${p.architecture}`;
}

export async function pushPackages(ctx: PushContext, opts: PushOptions): Promise<number> {
  for (const file of opts.files) {
    if (!statSync(file, { throwIfNoEntry: false })?.isFile()) throw new UsageError(`${file} is not a file`);
  }
  const say = opts.json ? () => {} : ctx.out;
  const warn = opts.json ? () => {} : ctx.err;
  const results: FileResult[] = [];
  for (const file of opts.files) {
    try {
      const { status, data } = await uploadPackageFile(
        { server: ctx.server, token: ctx.token, org: opts.org, repo: opts.repo },
        file,
        { distribution: opts.distribution, component: opts.component, overwrite: opts.overwrite },
        ctx.progress,
        ctx.retry,
      );
      ctx.progress.finish(`${status === 200 ? 'already there' : 'uploaded'}: ${describe(data)} (${data.id})`);
      const settled = data.status === 'published' || data.status === 'failed';
      results.push({
        file,
        outcome: settled ? (data.status as Outcome) : 'uploaded',
        exitCode: data.status === 'failed' ? EXIT.failed : EXIT.ok,
        httpStatus: status,
        package: data,
      });
    } catch (err) {
      if (err instanceof ApiError) {
        const exitCode = exitForStatus(err.status);
        ctx.progress.finish(`refused: ${file} — ${err.status} ${err.code}: ${err.message}`);
        results.push({
          file,
          outcome: exitCode === EXIT.unavailable ? 'unavailable' : 'refused',
          exitCode,
          httpStatus: err.status,
          error: { code: err.code, message: err.message },
        });
        // A credential problem is the same for every file: stop instead of repeating it.
        if (exitCode === EXIT.auth) break;
      } else {
        const message = describeNetworkError(err as Error);
        ctx.progress.finish(`unavailable: ${file} — ${message}`);
        results.push({
          file,
          outcome: 'unavailable',
          exitCode: EXIT.unavailable,
          error: { code: 'network', message },
        });
      }
    }
  }
  if (opts.wait) await waitForPublication(ctx, opts, results, say, warn);
  const exitCode = worstExit(results.map((r) => r.exitCode));
  if (opts.json) ctx.out(JSON.stringify({ exitCode, packages: results }, null, 2));
  return exitCode;
}

async function waitForPublication(
  ctx: PushContext,
  opts: PushOptions,
  results: FileResult[],
  say: (line: string) => void,
  warn: (line: string) => void,
): Promise<void> {
  const until = Date.now() + opts.timeoutMs;
  const report = (r: FileResult) => {
    const p = r.package!;
    if (p.status === 'published') say(`published: ${p.name} ${p.version} ${p.architecture}`);
    else warn(`failed: ${p.name} ${p.version} ${p.architecture}${p.error ? ` — ${p.error}` : ''}`);
  };
  for (const r of results) if (r.outcome === 'published' || r.outcome === 'failed') report(r);
  let pending = results.filter((r) => r.outcome === 'uploaded');
  if (pending.length) say(`waiting for publication of ${pending.length} package(s)…`);
  while (pending.length) {
    for (const r of pending) {
      try {
        const p = await ctx.client.getPackage(opts.org, opts.repo, r.package!.id);
        r.package = p;
        if (p.status === 'published' || p.status === 'failed') {
          r.outcome = p.status;
          r.exitCode = p.status === 'failed' ? EXIT.failed : EXIT.ok;
          report(r);
        }
      } catch (err) {
        // The package vanished (deleted meanwhile) or access ended: that file's outcome is final.
        if (!(err instanceof ApiError)) throw err;
        r.outcome = 'refused';
        r.exitCode = exitForStatus(err.status);
        r.error = { code: err.code, message: err.message };
        warn(`refused: ${r.file} — ${err.status} ${err.code}: ${err.message}`);
      }
    }
    pending = pending.filter((r) => r.outcome === 'uploaded');
    if (!pending.length) break;
    if (Date.now() >= until) {
      for (const r of pending) {
        r.outcome = 'timeout';
        r.exitCode = EXIT.timeout;
        warn(
          `timeout: ${describe(r.package!)} still processing after ${Math.round(opts.timeoutMs / 1000)} s`,
        );
      }
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(opts.pollMs ?? 1000, until - Date.now())));
  }
}

// Release life-cycle commands: copy/move/promote packages between distributions and repositories,
// freeze/unfreeze a distribution, set or preview its retention, yank a version, restore a publication.
import type { PackageInfo, PalletClient } from '@pallet/api-client';
import { EXIT, UsageError } from './exit-codes';

export const RELEASE_USAGE = `  pallet copy|move ORG/REPO FROM_DISTRIBUTION TO_DISTRIBUTION [NAME] [--match-version V] [--arch A]
              [--to-repo REPO] [--component C] [--id PACKAGE_ID] [--json]
      copies (move: and removes from FROM) every published package of FROM matching NAME/version/arch,
      or the one --id, without re-uploading; rpms are signed again with the target repository's key
  pallet promote ...            the same as move (packagecloud's word for it)
  pallet freeze|unfreeze ORG/REPO DISTRIBUTION
      a frozen distribution refuses uploads, deletions, copies and restores (423) and keeps serving
  pallet retention ORG/REPO DISTRIBUTION (--keep N [--max-age-days D] | --off) [--dry-run]
      keeps the newest N versions of each package name+architecture; --dry-run shows what would go
  pallet yank ORG/REPO PACKAGE_ID
  pallet restore ORG/REPO PUBLICATION_ID [--dry-run]
      publishes that publication's package set anew; prints what changes first`;

export const RELEASE_COMMANDS = new Set([
  'copy',
  'move',
  'promote',
  'freeze',
  'unfreeze',
  'retention',
  'yank',
  'restore',
]);

export interface ReleaseOptions {
  'match-version'?: string;
  arch?: string;
  'to-repo'?: string;
  component?: string;
  id?: string;
  keep?: string;
  'max-age-days'?: string;
  off?: boolean;
  'dry-run'?: boolean;
  json?: boolean;
}

const line = (p: Pick<PackageInfo, 'name' | 'version' | 'architecture'>) =>
  `${p.name}\t${p.version}\t${p.architecture}`;

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`${flag} expects a positive whole number`);
  return Number(value);
}

export async function runReleaseCommand(
  command: string,
  client: PalletClient,
  org: string,
  repo: string,
  args: string[],
  opts: ReleaseOptions,
  out: (line: string) => void,
): Promise<number> {
  const print = (data: unknown, text: () => void) =>
    opts.json ? out(JSON.stringify(data, null, 2)) : text();
  if (command === 'copy' || command === 'move' || command === 'promote') {
    const mode = command === 'copy' ? 'copy' : 'move';
    const [from, to, name] = args;
    if (!to || !from) throw new UsageError(`${command} needs FROM_DISTRIBUTION and TO_DISTRIBUTION`);
    const target = {
      distribution: to,
      ...(opts['to-repo'] ? { repo: opts['to-repo'] } : {}),
      ...(opts.component ? { component: opts.component } : {}),
    };
    if (opts.id) {
      const res = await client.copyPackage(org, repo, opts.id, target, mode);
      print(res.data, () =>
        out(
          `${res.status === 202 ? (mode === 'copy' ? 'copied' : 'moved') : 'already there'}\t${line(res.data)}\t${res.data.id}`,
        ),
      );
      return EXIT.ok;
    }
    const result = await client.copyPackages(
      org,
      repo,
      {
        distribution: from,
        ...(name ? { name } : {}),
        ...(opts['match-version'] ? { version: opts['match-version'] } : {}),
        ...(opts.arch ? { architecture: opts.arch } : {}),
      },
      target,
      mode,
    );
    print(result, () => {
      for (const p of result.items) out(`${mode === 'copy' ? 'copied' : 'moved'}\t${line(p)}\t${p.id}`);
      for (const s of result.skipped) out(`skipped\t${line(s)}\t${s.reason}`);
      if (result.items.length === 0 && result.skipped.length === 0) out('no package matched');
    });
    return result.skipped.length > 0 ? EXIT.refused : EXIT.ok;
  }
  if (command === 'freeze' || command === 'unfreeze') {
    const [distribution] = args;
    if (!distribution) throw new UsageError(`${command} needs DISTRIBUTION`);
    const d = await client.updateDistribution(org, repo, distribution, { frozen: command === 'freeze' });
    print(d, () => out(`${d.name}\t${d.frozen ? 'frozen' : 'not frozen'}`));
    return EXIT.ok;
  }
  if (command === 'retention') {
    const [distribution] = args;
    if (!distribution) throw new UsageError('retention needs DISTRIBUTION');
    const keep = positiveInt(opts.keep, '--keep');
    const maxAgeDays = positiveInt(opts['max-age-days'], '--max-age-days');
    if (!opts.off && keep === undefined) throw new UsageError('retention needs --keep N or --off');
    const rule = keep ? { keepVersions: keep, maxAgeDays: maxAgeDays ?? null } : undefined;
    const preview = rule ? await client.previewRetention(org, repo, distribution, rule) : null;
    if (opts['dry-run']) {
      print(preview, () => {
        for (const p of preview?.wouldRemove ?? []) out(`would remove\t${line(p)}\t${p.id}`);
        if (!preview?.wouldRemove.length) out('would remove nothing');
      });
      return EXIT.ok;
    }
    const d = await client.updateDistribution(org, repo, distribution, { retention: rule ?? null });
    print(d, () => {
      out(
        `${d.name}\tretention ${d.retention ? `keep ${d.retention.keepVersions}${d.retention.maxAgeDays ? `, at most ${d.retention.maxAgeDays} days` : ''}` : 'off'}`,
      );
      for (const p of preview?.wouldRemove ?? []) out(`removing\t${line(p)}\t${p.id}`);
    });
    return EXIT.ok;
  }
  if (command === 'yank') {
    const [id] = args;
    if (!id) throw new UsageError('yank needs PACKAGE_ID');
    const p = await client.yankPackage(org, repo, id);
    print(p, () =>
      out(`yanked\t${line(p)}\t(out of the indexes at the next publication; file still served)`),
    );
    return EXIT.ok;
  }
  const [publicationId] = args;
  if (!publicationId) throw new UsageError('restore needs PUBLICATION_ID');
  const plan = await client.previewRestore(org, repo, publicationId);
  if (!opts.json) {
    out(`restoring ${plan.distribution} to publication ${plan.publicationId}`);
    for (const p of plan.add) out(`+\t${line(p)}`);
    for (const p of plan.remove) out(`-\t${line(p)}`);
    for (const p of plan.yanked) out(`stays yanked\t${line(p)}`);
  }
  if (opts['dry-run']) {
    if (opts.json) out(JSON.stringify(plan, null, 2));
    return EXIT.ok;
  }
  const res = await client.restorePublication(org, repo, publicationId);
  print({ plan, ...res.data }, () =>
    out(`queued: ${res.data.distribution} generation ${res.data.generation}`),
  );
  return EXIT.ok;
}

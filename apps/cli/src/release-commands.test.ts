import type { PalletClient } from '@pallet/api-client';
import { describe, expect, it } from 'vitest';
import { EXIT, UsageError } from './exit-codes';
import { runReleaseCommand } from './release-commands';

const pkg = (name: string, version: string) => ({
  id: `id-${name}-${version}`,
  name,
  version,
  architecture: 'amd64',
});

/** A client that records the calls the commands make and answers like the API. */
function fakeClient() {
  const calls: unknown[][] = [];
  const client = {
    copyPackages: async (...args: unknown[]) => {
      calls.push(['copyPackages', ...args]);
      return { items: [pkg('hello', '1.0')], skipped: [{ ...pkg('hello', '0.9'), reason: 'other content' }] };
    },
    previewRestore: async (...args: unknown[]) => {
      calls.push(['previewRestore', ...args]);
      return {
        publicationId: 'pub1',
        distribution: 'debian/bookworm',
        add: [pkg('app', '1.0')],
        remove: [pkg('app', '2.0')],
        yanked: [],
      };
    },
    restorePublication: async (...args: unknown[]) => {
      calls.push(['restorePublication', ...args]);
      return { status: 202, data: { distribution: 'debian/bookworm', generation: 7, added: 1, removed: 1 } };
    },
  };
  return { client: client as unknown as PalletClient, calls };
}

describe('release commands', () => {
  it('copies every package of a distribution matching a name, reports skipped ones and exits 3 for them', async () => {
    const { client, calls } = fakeClient();
    const lines: string[] = [];
    const code = await runReleaseCommand(
      'promote',
      client,
      'acme',
      'tools',
      ['debian/testing', 'debian/stable', 'hello'],
      { arch: 'amd64', 'to-repo': 'prod' },
      (l) => lines.push(l),
    );
    expect(calls[0]).toEqual([
      'copyPackages',
      'acme',
      'tools',
      { distribution: 'debian/testing', name: 'hello', architecture: 'amd64' },
      { distribution: 'debian/stable', repo: 'prod' },
      'move',
    ]);
    expect(lines).toEqual([
      'moved\thello\t1.0\tamd64\tid-hello-1.0',
      'skipped\thello\t0.9\tamd64\tother content',
    ]);
    expect(code).toBe(EXIT.refused);
  });

  it('prints the diff of a restore and, with --dry-run, restores nothing', async () => {
    const { client, calls } = fakeClient();
    const lines: string[] = [];
    expect(
      await runReleaseCommand('restore', client, 'acme', 'tools', ['pub1'], { 'dry-run': true }, (l) =>
        lines.push(l),
      ),
    ).toBe(EXIT.ok);
    expect(lines).toEqual([
      'restoring debian/bookworm to publication pub1',
      '+\tapp\t1.0\tamd64',
      '-\tapp\t2.0\tamd64',
    ]);
    expect(calls.map((c) => c[0])).toEqual(['previewRestore']);
    await runReleaseCommand('restore', client, 'acme', 'tools', ['pub1'], {}, (l) => lines.push(l));
    expect(calls.map((c) => c[0])).toContain('restorePublication');
    expect(lines.at(-1)).toBe('queued: debian/bookworm generation 7');
  });

  it('refuses retention without --keep or --off, and a --keep that is not a positive number', async () => {
    const { client } = fakeClient();
    const run = (opts: object) =>
      runReleaseCommand('retention', client, 'acme', 'tools', ['debian/stable'], opts, () => {});
    await expect(run({})).rejects.toBeInstanceOf(UsageError);
    await expect(run({ keep: '0' })).rejects.toBeInstanceOf(UsageError);
  });
});

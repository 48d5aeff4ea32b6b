// Puts the shipped nginx edge (deploy/nginx/, rendered by scripts/lib/edge.mjs exactly as
// `npm run edge` does) in front of a running test instance.
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { type EdgeOptions, type RunningEdge, startEdge } from '../../scripts/lib/edge.mjs';
import { freePort, type RunningPallet } from './server';

export async function startEdgeFor(
  pallet: RunningPallet,
  opts: Partial<Omit<EdgeOptions, 'origin' | 'listen' | 'dir'>> = {},
  name = 'edge',
): Promise<RunningEdge> {
  const port = await freePort();
  // Started as root, nginx's workers run as nobody: they must be able to reach the edge directory.
  chmodSync(pallet.instance.dir, 0o711);
  const edge = await startEdge({
    origin: new URL(pallet.baseUrl).host,
    listen: `127.0.0.1:${port}`,
    dir: join(pallet.instance.dir, name),
    workers: 1,
    accessLog: true,
    ...opts,
    fresh: true,
  });
  return edge;
}

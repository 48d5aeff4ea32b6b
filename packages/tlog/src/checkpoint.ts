// C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the body a log signs as a signed note —
// origin line, decimal tree size, base64 root hash, then optional extension lines.
import { HASH_BYTES } from './merkle';
import { NoteError } from './signed-note';

export interface Checkpoint {
  origin: string;
  treeSize: number;
  rootHash: Uint8Array;
  extensions: string[];
}

export function formatCheckpoint(cp: Checkpoint): string {
  if (!cp.origin || /[\s+]/u.test(cp.origin))
    throw new NoteError('Checkpoint origin must have no spaces or "+"');
  if (!Number.isSafeInteger(cp.treeSize) || cp.treeSize < 0) throw new NoteError('Bad checkpoint tree size');
  if (cp.rootHash.length !== HASH_BYTES) throw new NoteError('Checkpoint root hash must be 32 bytes');
  const lines = [
    cp.origin,
    String(cp.treeSize),
    Buffer.from(cp.rootHash).toString('base64'),
    ...cp.extensions,
  ];
  return `${lines.join('\n')}\n`;
}

export function parseCheckpoint(text: string): Checkpoint {
  const lines = text.split('\n');
  if (lines.length < 4 || lines[lines.length - 1] !== '') throw new NoteError('Checkpoint is truncated');
  const [origin, size, root] = lines as [string, string, string];
  if (!origin) throw new NoteError('Checkpoint has no origin');
  if (!/^(0|[1-9][0-9]{0,15})$/.test(size) || !Number.isSafeInteger(Number(size)))
    throw new NoteError('Checkpoint tree size is not a decimal number');
  const rootHash = Buffer.from(root, 'base64');
  if (rootHash.length !== HASH_BYTES || rootHash.toString('base64') !== root)
    throw new NoteError('Checkpoint root hash is not 32 bytes of base64');
  return {
    origin,
    treeSize: Number(size),
    rootHash: new Uint8Array(rootHash),
    extensions: lines.slice(3, -1),
  };
}

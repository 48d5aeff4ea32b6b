// The log's latest signed checkpoint (C2SP tlog-checkpoint as a signed note) and its verifier key.
import type { CoreContext } from '../context/core-context';
import { loadLogSigner } from './load-log-signer';
import { currentCheckpoint } from './log-query';

export async function getLogCheckpoint(ctx: CoreContext): Promise<string> {
  return (await currentCheckpoint(ctx)).note;
}

export async function getLogVerifierKey(ctx: CoreContext): Promise<string> {
  return (await loadLogSigner(ctx)).verifierKey;
}

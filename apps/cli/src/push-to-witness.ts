// `pallet witness-push WITNESS_URL`: asks another Pallet instance, acting as a witness, to cosign this
// server's newest log checkpoint (C2SP tlog-witness add-checkpoint), supplying the consistency proof from
// whatever tree size the witness last verified, and prints the cosignature line once it verifies.
import type { PalletClient } from '@pallet/api-client';
import { openNote, parseCheckpoint, parseCosignerVerifierKey, parseNote } from '@pallet/tlog';

export async function pushToWitness(
  log: PalletClient,
  witnessUrl: string,
  out: (line: string) => void,
): Promise<number> {
  const base = witnessUrl.replace(/\/+$/, '');
  const note = await log.logCheckpoint();
  const { treeSize, origin } = parseCheckpoint(parseNote(note).text);
  const keyRes = await fetch(`${base}/api/v1/log/witness`);
  if (!keyRes.ok) throw new Error(`${base} has no witness key (${keyRes.status})`);
  const witness = parseCosignerVerifierKey(await keyRes.text());
  let oldSize = 0;
  let proof: string[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const res = await fetch(`${base}/api/v1/log/witness`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: `old ${oldSize}\n${proof.map((p) => `${p}\n`).join('')}\n${note}`,
    });
    const text = await res.text();
    const seen = res.headers.get('pallet-witness-tree-size');
    if (res.status === 409 && seen !== null) {
      oldSize = Number(seen);
      proof =
        oldSize > 0 && oldSize < treeSize ? (await log.logConsistencyProof(oldSize, treeSize)).proof : [];
      continue;
    }
    if (!res.ok) {
      out(`witness ${witness.name} refused ${origin} at tree size ${treeSize}: ${res.status} ${text.trim()}`);
      return 1;
    }
    openNote(note + text, [witness]);
    out(
      `witness ${witness.name} cosigned ${origin} at tree size ${treeSize} (consistent with its size ${oldSize}):`,
    );
    out(text.trimEnd());
    return 0;
  }
  out(`witness ${witness.name} kept changing its tree size; try again`);
  return 1;
}

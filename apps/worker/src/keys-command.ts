// Operator command for key custody: `npm run keys -- rewrap` re-wraps every signing key's data key under the
// current wrapper (PALLET_KMS_KEY_ID when set, else PALLET_MASTER_KEY), opening old ones with
// PALLET_PREVIOUS_MASTER_KEY during a master-key rotation; `npm run keys -- generate-master-key` prints a new key.
import { loadConfig } from '@pallet/config';
import { createCoreContext, rewrapSealedKeys } from '@pallet/core';
import { generateMasterKey } from '@pallet/openpgp';

const USAGE = `usage: npm run keys -- <command>
  rewrap               re-wrap every data key (set PALLET_MASTER_KEY to the new key and
                       PALLET_PREVIOUS_MASTER_KEY to the old one, or PALLET_KMS_KEY_ID to move to KMS)
  generate-master-key  print a fresh master key (base64)`;

const command = process.argv[2];
if (command === 'generate-master-key') {
  console.log(generateMasterKey());
} else if (command === 'rewrap') {
  const core = createCoreContext(loadConfig());
  try {
    const result = await rewrapSealedKeys(core);
    console.log(JSON.stringify(result));
  } finally {
    await Promise.allSettled([core.queues.close(), core.db.$disconnect()]);
  }
} else {
  console.error(USAGE);
  process.exitCode = 2;
}

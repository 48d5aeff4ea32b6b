// Who wraps the per-key data keys: the master key (PALLET_MASTER_KEY, AES-256-GCM here) or AWS KMS
// (PALLET_KMS_KEY_ID, through @aws-sdk/client-kms, so any KMS-protocol endpoint works). A wrapped data key
// never leaves this module unwrapped except to seal or open one private key.
import type { KMSClient } from '@aws-sdk/client-kms';
import type { Config } from '@pallet/config';
import {
  type DataKeyWrapping,
  generateDataKey,
  KeyEnvelopeError,
  unwrapDataKeyWithMasterKey,
  wrapDataKeyWithMasterKey,
} from '@pallet/openpgp';

export interface DataKeyWrapper {
  kind: DataKeyWrapping;
  /** a fresh data key and its wrapped form */
  generate(context: string): Promise<{ dataKey: Uint8Array; wrapped: Uint8Array }>;
  wrap(dataKey: Uint8Array, context: string): Promise<Uint8Array>;
  unwrap(wrapped: Uint8Array, context: string): Promise<Uint8Array>;
}

export function masterKeyWrapper(masterKey: Uint8Array): DataKeyWrapper {
  return {
    kind: 'master-key',
    async generate(context) {
      const dataKey = generateDataKey();
      return { dataKey, wrapped: wrapDataKeyWithMasterKey(dataKey, masterKey, context) };
    },
    async wrap(dataKey, context) {
      return wrapDataKeyWithMasterKey(dataKey, masterKey, context);
    },
    async unwrap(wrapped, context) {
      return unwrapDataKeyWithMasterKey(wrapped, masterKey, context);
    },
  };
}

/** KMS binds each wrapped data key to its row through the encryption context (checked on Decrypt). */
export function kmsWrapper(kms: NonNullable<Config['kms']>): DataKeyWrapper {
  // The SDK (several MiB) is loaded at the first KMS call, not by every process that imports core.
  let loading: Promise<{ sdk: typeof import('@aws-sdk/client-kms'); client: KMSClient }> | undefined;
  const kmsClient = () => {
    loading ??= import('@aws-sdk/client-kms').then((sdk) => ({
      sdk,
      client: new sdk.KMSClient({ region: kms.region, endpoint: kms.endpoint }),
    }));
    return loading;
  };
  const encryptionContext = (context: string) => ({ 'pallet:key': context });
  const failed = (what: string, err: unknown): never => {
    // The SDK's message names the KMS error (AccessDenied, InvalidCiphertext…); it never holds key bytes.
    throw new KeyEnvelopeError(`KMS ${what} failed: ${(err as Error).name}: ${(err as Error).message}`);
  };
  return {
    kind: 'aws-kms',
    async generate(context) {
      const { sdk, client } = await kmsClient();
      const out = await client
        .send(
          new sdk.GenerateDataKeyCommand({
            KeyId: kms.keyId,
            KeySpec: 'AES_256',
            EncryptionContext: encryptionContext(context),
          }),
        )
        .catch((err) => failed('GenerateDataKey', err));
      if (!out.Plaintext || !out.CiphertextBlob) throw new KeyEnvelopeError('KMS returned no data key');
      return { dataKey: out.Plaintext, wrapped: out.CiphertextBlob };
    },
    async wrap(dataKey, context) {
      const { sdk, client } = await kmsClient();
      const out = await client
        .send(
          new sdk.EncryptCommand({
            KeyId: kms.keyId,
            Plaintext: dataKey,
            EncryptionContext: encryptionContext(context),
          }),
        )
        .catch((err) => failed('Encrypt', err));
      if (!out.CiphertextBlob) throw new KeyEnvelopeError('KMS returned no ciphertext');
      return out.CiphertextBlob;
    },
    async unwrap(wrapped, context) {
      const { sdk, client } = await kmsClient();
      const out = await client
        .send(
          new sdk.DecryptCommand({ CiphertextBlob: wrapped, EncryptionContext: encryptionContext(context) }),
        )
        .catch((err) => failed('Decrypt', err));
      if (!out.Plaintext) throw new KeyEnvelopeError('KMS returned no plaintext');
      return out.Plaintext;
    },
  };
}

const wrappers = new WeakMap<
  Config,
  { current: DataKeyWrapper; byKind: Map<DataKeyWrapping, DataKeyWrapper[]> }
>();

/**
 * The wrapper new keys use (KMS when configured, else the master key), and the ones that may open an existing
 * data key of each kind (the master key, then the previous master key during a rotation).
 */
export function dataKeyWrappers(config: Config) {
  let found = wrappers.get(config);
  if (!found) {
    const master = [masterKeyWrapper(config.masterKey)];
    if (config.previousMasterKey) master.push(masterKeyWrapper(config.previousMasterKey));
    const kms = config.kms ? kmsWrapper(config.kms) : undefined;
    const byKind = new Map<DataKeyWrapping, DataKeyWrapper[]>([['master-key', master]]);
    if (kms) byKind.set('aws-kms', [kms]);
    found = { current: kms ?? (master[0] as DataKeyWrapper), byKind };
    wrappers.set(config, found);
  }
  return found;
}

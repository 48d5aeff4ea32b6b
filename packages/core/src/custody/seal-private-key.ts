// Seals and opens private keys at rest (signing keys): envelope v2, a fresh data key per key wrapped by the
// configured wrapper; envelope v1 (sealed directly under the master key, before per-key data keys) still opens.
import type { Config } from '@pallet/config';
import {
  type DataKeyWrapping,
  decodeDataKeyEnvelope,
  encodeDataKeyEnvelope,
  envelopeVersion,
  KeyEnvelopeError,
  openPrivateKey,
  openWithDataKey,
  sealWithDataKey,
} from '@pallet/openpgp';
import { type DataKeyWrapper, dataKeyWrappers } from './data-key-wrappers';

export async function sealPrivateKeyAtRest(
  config: Config,
  plaintext: string,
  context: string,
  wrapper: DataKeyWrapper = dataKeyWrappers(config).current,
): Promise<Uint8Array> {
  const { dataKey, wrapped } = await wrapper.generate(context);
  try {
    return encodeDataKeyEnvelope({
      wrapping: wrapper.kind,
      wrappedDataKey: wrapped,
      sealed: sealWithDataKey(plaintext, dataKey, context),
    });
  } finally {
    dataKey.fill(0);
  }
}

export async function openPrivateKeyAtRest(
  config: Config,
  sealed: Uint8Array,
  context: string,
): Promise<string> {
  if (envelopeVersion(sealed) === 1) return openLegacyEnvelope(config, sealed, context);
  const envelope = decodeDataKeyEnvelope(sealed);
  const dataKey = await unwrapDataKey(config, envelope.wrapping, envelope.wrappedDataKey, context);
  try {
    return openWithDataKey(envelope.sealed, dataKey, context);
  } finally {
    dataKey.fill(0);
  }
}

/** Unwraps with each wrapper able to (current master key, then the previous one during a rotation). */
export async function unwrapDataKey(
  config: Config,
  kind: DataKeyWrapping,
  wrapped: Uint8Array,
  context: string,
): Promise<Uint8Array> {
  const candidates = dataKeyWrappers(config).byKind.get(kind) ?? [];
  if (candidates.length === 0) {
    throw new KeyEnvelopeError(
      `A data key is wrapped by ${kind}, which is not configured (PALLET_KMS_KEY_ID)`,
    );
  }
  let lastError: unknown;
  for (const wrapper of candidates) {
    try {
      return await wrapper.unwrap(wrapped, context);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

/** Envelope v1: sealed under the master key itself (or the previous one, mid-rotation). */
export function openLegacyEnvelope(config: Config, sealed: Uint8Array, context: string): string {
  const keys = [config.masterKey, ...(config.previousMasterKey ? [config.previousMasterKey] : [])];
  let lastError: unknown;
  for (const key of keys) {
    try {
      return openPrivateKey(sealed, key, context);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

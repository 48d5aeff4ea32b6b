// Turns AWS SDK errors into StorageUnavailableError messages that say what failed and why,
// scrubbed of any credential, with no SDK request/response objects attached.
import { StorageUnavailableError } from '../errors';

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

export function httpStatusOf(err: unknown): number | undefined {
  return (err as SdkErrorShape | undefined)?.$metadata?.httpStatusCode;
}

export function errorNameOf(err: unknown): string | undefined {
  return (err as SdkErrorShape | undefined)?.name;
}

export function describeS3Error(err: unknown, secrets: readonly string[]): string {
  const e = (err ?? {}) as SdkErrorShape;
  const status = httpStatusOf(err);
  const parts = [e.code && e.code !== e.name ? `${e.name} ${e.code}` : (e.name ?? 'Error')];
  if (status) parts.push(`HTTP ${status}`);
  const head = parts.join(', ');
  const text = e.message && e.message !== 'UnknownError' ? `${head}: ${e.message}` : head;
  return scrub(text, secrets);
}

export function s3Failure(what: string, err: unknown, secrets: readonly string[]): StorageUnavailableError {
  return new StorageUnavailableError(`S3 ${what} failed (${describeS3Error(err, secrets)})`);
}

function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***');
  return out;
}

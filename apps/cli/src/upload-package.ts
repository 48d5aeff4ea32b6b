// Uploads one package file as multipart/form-data streamed from disk (never held in memory, see
// @pallet/api-client's postMultipartFile), counting the bytes as they go out for the progress bar. Each
// retry reopens the file and sends it again.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { type PackageInfo, postMultipartFile, readApiResponse } from '@pallet/api-client';
import type { Progress } from './progress';
import { type RetryPolicy, withRetries } from './retry';

export interface UploadTarget {
  server: string;
  token: string;
  org: string;
  repo: string;
}

export interface UploadFields {
  distribution: string;
  component?: string;
  overwrite?: boolean;
}

export async function uploadPackageFile(
  target: UploadTarget,
  file: string,
  fields: UploadFields,
  progress: Progress,
  retry: RetryPolicy,
): Promise<{ status: number; data: PackageInfo }> {
  const size = statSync(file).size;
  const url = `${target.server}/api/v1/orgs/${encodeURIComponent(target.org)}/repos/${encodeURIComponent(target.repo)}/packages`;
  const form: Record<string, string> = { distribution: fields.distribution };
  if (fields.component) form.component = fields.component;
  if (fields.overwrite) form.overwrite = 'true';
  const res = await withRetries(() => {
    progress.start(basename(file), size);
    return postMultipartFile(url, {
      path: file,
      filename: basename(file),
      fields: form,
      headers: { authorization: `Bearer ${target.token}` },
      onBytes: (bytes) => progress.advance(bytes),
    });
  }, retry);
  return readApiResponse<PackageInfo>(res);
}

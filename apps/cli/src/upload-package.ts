// Uploads one package file as multipart/form-data streamed from disk (never held in memory, see
// @pallet/api-client's postMultipartFile), counting the bytes as they go out for the progress bar. Each
// retry reopens the file and sends it again.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import {
  type PackageInfo,
  packageUploadPath,
  postMultipartFile,
  readApiResponse,
  type UploadFields,
  uploadFormFields,
} from '@pallet/api-client';
import type { Progress } from './progress';
import { type RetryPolicy, withRetries } from './retry';

export interface UploadTarget {
  server: string;
  token: string;
  org: string;
  repo: string;
}

export async function uploadPackageFile(
  target: UploadTarget,
  file: string,
  fields: UploadFields,
  progress: Progress,
  retry: RetryPolicy,
): Promise<{ status: number; data: PackageInfo }> {
  const size = statSync(file).size;
  const url = `${target.server}${packageUploadPath(target.org, target.repo)}`;
  const form = uploadFormFields(fields);
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

// GET, POST /api/v1/orgs/{org}/repos/{repo}/packages — POST streams a multipart upload.
import { authorizeUpload, discardStagedUpload, listPackages, stageUpload, uploadPackage } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json } from '@/lib/http';
import { discardRequestBody, readMultipartUpload } from '@/lib/multipart';
import { route, searchParams } from '@/lib/route';

type P = { org: string; repo: string };

export const GET = route<P>(async (request, { org, repo }, core) =>
  json(await listPackages(core, await requireActor(request), org, repo, searchParams(request))),
);

export const POST = route<P>(async (request, { org, repo }, core) => {
  try {
    const actor = await requireActor(request);
    const authorized = await authorizeUpload(core, actor, org, repo);
    const maxBytes = core.config.maxUploadBytes;
    const { staged, fields } = await readMultipartUpload(
      request,
      maxBytes,
      (file) => stageUpload(core, file, { maxBytes }),
      (rejected) => discardStagedUpload(core, rejected),
      core.config.uploadDiscard,
    );
    const result = await uploadPackage(core, actor, org, repo, staged, fields, authorized);
    return json(result.package, result.created ? 202 : 200);
  } catch (err) {
    // Refused before (or while) reading the body: drop the rest of it, then answer.
    await discardRequestBody(request, core.config.uploadDiscard);
    throw err;
  }
});

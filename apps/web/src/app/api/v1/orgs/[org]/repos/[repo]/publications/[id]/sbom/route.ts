// GET /api/v1/orgs/{org}/repos/{repo}/publications/{id}/sbom?format=cyclonedx|spdx
import { getPublicationSbom } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json } from '@/lib/http';
import { route, searchParams } from '@/lib/route';

export const GET = route<{ org: string; repo: string; id: string }>(
  async (request, { org, repo, id }, core) => {
    const sbom = await getPublicationSbom(
      core,
      await requireActor(request),
      org,
      repo,
      id,
      searchParams(request),
    );
    return json(sbom.document, 200, {
      'content-type': sbom.contentType,
      'content-disposition': `attachment; filename="${sbom.fileName}"`,
    });
  },
);

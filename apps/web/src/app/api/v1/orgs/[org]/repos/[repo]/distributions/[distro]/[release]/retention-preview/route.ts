// GET /api/v1/orgs/{org}/repos/{repo}/distributions/{distro}/{release}/retention-preview[?keepVersions&maxAgeDays&format]
import { previewRetention } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json } from '@/lib/http';
import { route, searchParams } from '@/lib/route';

type P = { org: string; repo: string; distro: string; release: string };

export const GET = route<P>(async (request, { org, repo, distro, release }, core) =>
  json(
    await previewRetention(
      core,
      await requireActor(request),
      org,
      repo,
      `${distro}/${release}`,
      searchParams(request),
    ),
  ),
);

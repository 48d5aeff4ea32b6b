// GET /api/v1/orgs/{org}/repos/{repo}/stats?from&to&group_by=package|version|distribution|token|day&package=
import { getDownloadStats } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json } from '@/lib/http';
import { route, searchParams } from '@/lib/route';

export const GET = route<{ org: string; repo: string }>(async (request, { org, repo }, core) =>
  json(await getDownloadStats(core, await requireActor(request), org, repo, searchParams(request))),
);

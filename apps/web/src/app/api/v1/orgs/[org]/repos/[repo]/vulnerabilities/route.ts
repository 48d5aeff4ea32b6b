// GET /api/v1/orgs/{org}/repos/{repo}/vulnerabilities?distribution=&severity=&package=
import { listVulnerabilities } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json } from '@/lib/http';
import { route, searchParams } from '@/lib/route';

type P = { org: string; repo: string };

export const GET = route<P>(async (request, { org, repo }, core) =>
  json(await listVulnerabilities(core, await requireActor(request), org, repo, searchParams(request))),
);

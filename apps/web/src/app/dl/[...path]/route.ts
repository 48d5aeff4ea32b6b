// GET/HEAD /dl/... — repository files for apt, dnf and zypper, with cache validators and ranges.
import { AuthRequired, resolveDownload, Unauthorized } from '@pallet/core';
import { authenticate } from '@/lib/auth';
import { route } from '@/lib/route';
import { serveDownload } from '@/lib/serve-download';

export const dynamic = 'force-dynamic';

const handler = route<{ path: string[] }>(async (request, { path }, core) => {
  // Package clients answer a Basic challenge; a bad token is reported the same way.
  const actor = await authenticate(request).catch((err) => {
    throw err instanceof Unauthorized ? new AuthRequired() : err;
  });
  const download = await resolveDownload(core, actor, path);
  return serveDownload(core, request, download);
});

export const GET = handler;
export const HEAD = handler;

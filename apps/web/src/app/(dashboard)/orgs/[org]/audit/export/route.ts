// GET /orgs/{org}/audit/export — the audit log as CSV for the signed-in user (same core service as the page).
import { listAuditEvents } from '@pallet/core';
import { getCore } from '@/lib/core';
import { errorResponse } from '@/lib/http';
import { requireSessionActor } from '@/lib/session';
import { actionFilter } from '../filters';

const MAX_EVENTS = 50_000;
const BATCH = 500;

function csvCell(value: unknown): string {
  let s =
    value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  // Spreadsheet formula injection: a leading =, +, - or @ would be evaluated when opened.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function GET(request: Request, context: { params: Promise<{ org: string }> }) {
  const { org } = await context.params;
  const action = actionFilter(new URL(request.url).searchParams.get('action') ?? undefined);
  try {
    const actor = await requireSessionActor();
    const lines = [['at', 'actor', 'action', 'target', 'ip', 'details'].join(',')];
    let before: string | undefined;
    while (lines.length <= MAX_EVENTS) {
      const page = await listAuditEvents(getCore(), actor, org, {
        limit: BATCH,
        ...(before ? { before } : {}),
        ...(action ? { action } : {}),
      });
      for (const e of page.items)
        lines.push([e.at, e.actor, e.action, e.target, e.ip, e.details].map(csvCell).join(','));
      if (!page.nextBefore) break;
      before = page.nextBefore;
    }
    const day = new Date().toISOString().slice(0, 10);
    return new Response(`${lines.join('\r\n')}\r\n`, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${org}-audit-${day}.csv"`,
        'cache-control': 'no-store',
      },
    });
  } catch (err) {
    // The one mapping from domain errors to statuses and bodies (lib/http.ts), as every route uses.
    return errorResponse(err);
  }
}

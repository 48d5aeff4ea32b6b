// An advisory's severity in words and colour, and the cells a findings row shows.

import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Td } from '@/components/ui/table';

const TONE: Record<string, BadgeTone> = {
  critical: 'danger',
  high: 'danger',
  medium: 'warning',
  low: 'info',
  unknown: 'neutral',
};

export function SeverityBadge({ severity }: { severity: string }) {
  return (
    <Badge tone={TONE[severity] ?? 'neutral'}>
      <span data-severity={severity}>{severity}</span>
    </Badge>
  );
}

/** The advisory, severity and fix cells of a findings row (package page and Vulnerabilities tab). */
export function FindingCells({
  advisory,
  fixedVersion,
  summaryWidth,
}: {
  advisory: { id: string; aliases: string[]; severity: string; summary?: string | null };
  fixedVersion?: string | null;
  summaryWidth: 'max-w-md' | 'max-w-xl';
}) {
  return (
    <>
      <Td>
        <div className="font-medium">{advisory.id}</div>
        <div className={`${summaryWidth} text-xs text-slate-600`}>
          {advisory.aliases.slice(0, 5).join(', ')}
          {advisory.summary ? ` — ${advisory.summary}` : ''}
        </div>
      </Td>
      <Td>
        <SeverityBadge severity={advisory.severity} />
      </Td>
      <Td className="tabular-nums">{fixedVersion ?? 'no fix yet'}</Td>
    </>
  );
}

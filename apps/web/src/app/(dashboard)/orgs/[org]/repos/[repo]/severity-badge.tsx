// An advisory's severity in words and colour.
import { Badge, type BadgeTone } from '@/components/ui/badge';

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

// A package's or publication's status in words and colour; a failure shows its reason.
import { Badge, type BadgeTone } from '@/components/ui/badge';

const TONE: Record<string, BadgeTone> = {
  published: 'success',
  processing: 'warning',
  building: 'warning',
  deleting: 'neutral',
  superseded: 'neutral',
  failed: 'danger',
  quarantined: 'warning',
};

export function StatusBadge({ status, error, reason }: { status: string; error?: string; reason?: string }) {
  return (
    <div>
      <Badge tone={TONE[status] ?? 'neutral'}>
        <span data-status={status}>{status}</span>
      </Badge>
      {status === 'failed' && error ? <p className="mt-1 max-w-xs text-xs text-red-800">{error}</p> : null}
      {status === 'quarantined' && reason ? (
        <p className="mt-1 max-w-xs text-xs text-amber-900">{reason}</p>
      ) : null}
    </div>
  );
}

// The banner every tab of a repository shows while one of its signing keys in use expires within 30 days
// (or has expired): the same warning the API reports as `expiryWarning`.
import type { SigningKeyView } from '@pallet/core';
import Link from 'next/link';
import { Alert } from '@/components/ui/alert';

export function KeyExpiryBanner({ keys, keysHref }: { keys: SigningKeyView[]; keysHref: string }) {
  const warned = keys.filter((k) => k.expiryWarning !== null);
  if (warned.length === 0) return null;
  const expired = warned.some((k) => k.expiryWarning === 'expired');
  return (
    <Alert
      tone={expired ? 'error' : 'warning'}
      title={expired ? 'A signing key has expired' : 'A signing key expires soon'}
      className="mb-4"
    >
      <ul data-testid="key-expiry-banner">
        {warned.map((k) => (
          <li key={k.fingerprint}>
            Key <code className="text-xs">{k.fingerprint.slice(-16)}</code> ({k.status}){' '}
            {k.expiryWarning === 'expired'
              ? `expired on ${k.expiresAt?.slice(0, 10)}: publications cannot be signed with it.`
              : `expires on ${k.expiresAt?.slice(0, 10)} (in ${k.expiresInDays} day${k.expiresInDays === 1 ? '' : 's'}).`}
          </li>
        ))}
      </ul>
      <p className="mt-1">
        Extend the key&apos;s expiry or rotate to a new key on the{' '}
        <Link href={keysHref} className="underline">
          Keys
        </Link>{' '}
        tab before clients refuse the repository.
      </p>
    </Alert>
  );
}

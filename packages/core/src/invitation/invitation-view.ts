// Invitation links: `{APP_URL}/invite/pli_…`. The secret is shown once; only its sha256 is stored.
import type { Invitation } from '@pallet/db';
import { type RoleName, toRoleName } from '../member/member-role';

export const INVITATION_PREFIX = 'pli_';
const INVITATION_RE = /^pli_[0-9A-Za-z]{32}$/;

export function looksLikeInvitation(secret: string): boolean {
  return INVITATION_RE.test(secret);
}

export function invitationUrl(appUrl: string, secret: string): string {
  return `${appUrl}/invite/${secret}`;
}

export interface InvitationView {
  id: string;
  email: string | null;
  role: RoleName;
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  expiresAt: string;
  createdAt: string;
}

export function invitationStatus(i: Invitation, now = new Date()): InvitationView['status'] {
  if (i.acceptedAt) return 'accepted';
  if (i.revokedAt) return 'revoked';
  return i.expiresAt <= now ? 'expired' : 'pending';
}

export function toInvitationView(i: Invitation): InvitationView {
  return {
    id: i.id,
    email: i.email,
    role: toRoleName(i.role),
    status: invitationStatus(i),
    expiresAt: i.expiresAt.toISOString(),
    createdAt: i.createdAt.toISOString(),
  };
}

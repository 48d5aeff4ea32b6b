// The API shape of an OIDC trust: repositories by slug, and the person whose role bounds its tokens.
import type { OidcTrust } from '@pallet/db';

export interface OidcTrustView {
  id: string;
  issuer: string;
  audience: string;
  subject: string;
  scopes: string[];
  repos: string[];
  createdBy: { id: string; email: string | null };
  createdAt: string;
}

export function toOidcTrustView(
  trust: OidcTrust,
  lookups: { repoSlugs: Map<string, string>; emails: Map<string, string> },
): OidcTrustView {
  return {
    id: trust.id,
    issuer: trust.issuer,
    audience: trust.audience,
    subject: trust.subject,
    scopes: trust.scopes,
    repos: trust.repositoryIds.map((id) => lookups.repoSlugs.get(id) ?? id),
    createdBy: { id: trust.createdById, email: lookups.emails.get(trust.createdById) ?? null },
    createdAt: trust.createdAt.toISOString(),
  };
}

-- OIDC trusts: CI jobs exchange their provider's ID token for a short-lived API token (issue 14).
CREATE TABLE "OidcTrust" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "scopes" TEXT[],
    "repositoryIds" TEXT[],
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "OidcTrust_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "OidcTrust_orgId_issuer_idx" ON "OidcTrust"("orgId", "issuer");
ALTER TABLE "OidcTrust" ADD CONSTRAINT "OidcTrust_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Org"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Tokens minted from a trust remember it, so deleting the trust revokes them.
ALTER TABLE "ApiToken" ADD COLUMN "oidcTrustId" TEXT;
CREATE INDEX "ApiToken_oidcTrustId_idx" ON "ApiToken"("oidcTrustId");

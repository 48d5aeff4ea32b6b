-- Key life cycle (issue 11): revoked keys with their published revocation certificate, which key
-- signed a download name's rpm (so re-signing finds the copies signed by a key no longer trusted),
-- and the repository's keyring-package version counter.
ALTER TYPE "KeyStatus" ADD VALUE IF NOT EXISTS 'REVOKED';
ALTER TABLE "SigningKey" ADD COLUMN "revokedAt" TIMESTAMP(3);
ALTER TABLE "SigningKey" ADD COLUMN "revocationReason" TEXT;
-- The revoked public key carrying its revocation signature (public data, served as revoked.asc).
ALTER TABLE "SigningKey" ADD COLUMN "revocationCertificate" TEXT;
ALTER TABLE "PackageFileName" ADD COLUMN "signedBy" TEXT;
ALTER TABLE "Repository" ADD COLUMN "keyringVersion" INTEGER NOT NULL DEFAULT 0;

-- Key expiry: a repository's validity for new keys (default two years), where a key came from, and the
-- smallest warning threshold (30, 7, 1 days) already announced for its current expiry.
ALTER TABLE "Repository" ADD COLUMN "keyValidityDays" INTEGER NOT NULL DEFAULT 730;
ALTER TABLE "SigningKey" ADD COLUMN "origin" TEXT NOT NULL DEFAULT 'generated';
ALTER TABLE "SigningKey" ADD COLUMN "expiryWarnedDays" INTEGER;

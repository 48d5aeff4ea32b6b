-- Release life cycle: freeze and retention per distribution, removed/yanked packages, and the package
-- set each publication lists (what a restore publishes again, and what garbage collection must keep).
ALTER TABLE "Distribution" ADD COLUMN "frozen" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Distribution" ADD COLUMN "frozenAt" TIMESTAMP(3);
ALTER TABLE "Distribution" ADD COLUMN "retentionKeepVersions" INTEGER;
ALTER TABLE "Distribution" ADD COLUMN "retentionMaxAgeDays" INTEGER;
ALTER TABLE "Distribution" ADD COLUMN "validDays" INTEGER;

ALTER TABLE "Package" ADD COLUMN "removedAt" TIMESTAMP(3);
ALTER TABLE "Package" ADD COLUMN "yankedAt" TIMESTAMP(3);
-- the package this one was copied or moved from (same uploaded blob)
ALTER TABLE "Package" ADD COLUMN "copiedFromId" TEXT;
CREATE INDEX "Package_status_removedAt_idx" ON "Package"("status", "removedAt");

-- NO ACTION (checked at the end of the statement): a package row cannot be deleted while a publication
-- lists it, yet deleting a repository (which cascades to both) still works.
CREATE TABLE "PublicationPackage" (
    "publicationId" TEXT NOT NULL,
    "packageId" TEXT NOT NULL,
    CONSTRAINT "PublicationPackage_pkey" PRIMARY KEY ("publicationId", "packageId"),
    CONSTRAINT "PublicationPackage_publicationId_fkey" FOREIGN KEY ("publicationId") REFERENCES "Publication"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PublicationPackage_packageId_fkey" FOREIGN KEY ("packageId") REFERENCES "Package"("id") ON DELETE NO ACTION ON UPDATE CASCADE
);
CREATE INDEX "PublicationPackage_packageId_idx" ON "PublicationPackage"("packageId");

-- The current publications' sets, as far as the rows say (older publications stay without one).
INSERT INTO "PublicationPackage" ("publicationId", "packageId")
  SELECT d."currentPublicationId", p."id" FROM "Package" p JOIN "Distribution" d ON d."id" = p."distributionId"
   WHERE d."currentPublicationId" IS NOT NULL AND p."status" IN ('PUBLISHED', 'DELETING') AND p."indexEntry" IS NOT NULL
  ON CONFLICT DO NOTHING;

-- One live row per package identity; removed rows (kept for restores) may repeat it.
DROP INDEX "Package_distributionId_name_version_architecture_key";
CREATE UNIQUE INDEX "Package_live_identity_key" ON "Package"("distributionId", "name", "version", "architecture")
  WHERE "status" <> 'REMOVED';
CREATE INDEX "Package_distributionId_name_version_architecture_idx" ON "Package"("distributionId", "name", "version", "architecture");

-- A package leaving or re-entering the indexes changes what /dl serves under its name.
CREATE OR REPLACE FUNCTION pallet_notify_package() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW."servedBlobId" IS NOT DISTINCT FROM OLD."servedBlobId"
     AND NEW."filename" IS NOT DISTINCT FROM OLD."filename"
     AND NEW."distributionId" IS NOT DISTINCT FROM OLD."distributionId"
     AND (NEW."status" = 'REMOVED') = (OLD."status" = 'REMOVED') THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('pallet_serving', 'repo:' || COALESCE(NEW."repositoryId", OLD."repositoryId"));
  RETURN NULL;
END $$ LANGUAGE plpgsql;

-- A publication's package set as runs of generations instead of one row per package and publication:
-- a publication writes only what it adds and drops (PublicationPackage took ~10,000 rows, with their
-- foreign-key checks, per publication of a 10,000-package distribution).
CREATE TABLE "PackageListing" (
    "distributionId" TEXT NOT NULL,
    "packageId" TEXT NOT NULL,
    "fromGeneration" INTEGER NOT NULL,
    "untilGeneration" INTEGER,
    CONSTRAINT "PackageListing_pkey" PRIMARY KEY ("packageId", "fromGeneration"),
    CONSTRAINT "PackageListing_distributionId_fkey" FOREIGN KEY ("distributionId") REFERENCES "Distribution"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    -- NO ACTION (checked at the end of the statement), as PublicationPackage's: a listed package row cannot
    -- be deleted, yet deleting a distribution (which cascades to both) still works.
    CONSTRAINT "PackageListing_packageId_fkey" FOREIGN KEY ("packageId") REFERENCES "Package"("id") ON DELETE NO ACTION ON UPDATE CASCADE
);
CREATE INDEX "PackageListing_distributionId_untilGeneration_idx" ON "PackageListing"("distributionId", "untilGeneration");
-- One open run a package.
CREATE UNIQUE INDEX "PackageListing_open_key" ON "PackageListing"("packageId") WHERE "untilGeneration" IS NULL;

-- The recorded sets, as runs: consecutive publications of a distribution (by generation) listing a package
-- make one run, which ends at the generation of the first publication after it (open after the last one).
WITH ranked AS (
  SELECT p."id", p."distributionId", p."generation",
         row_number() OVER w AS rn,
         lead(p."generation") OVER w AS next_generation
    FROM "Publication" p
  WINDOW w AS (PARTITION BY p."distributionId" ORDER BY p."generation", p."createdAt", p."id")
), listed AS (
  SELECT pp."packageId", r."distributionId", r."generation", r.rn, r.next_generation,
         r.rn - row_number() OVER (PARTITION BY r."distributionId", pp."packageId" ORDER BY r.rn) AS island
    FROM "PublicationPackage" pp
    JOIN ranked r ON r."id" = pp."publicationId"
)
INSERT INTO "PackageListing" ("distributionId", "packageId", "fromGeneration", "untilGeneration")
SELECT "distributionId", "packageId", min("generation"), (array_agg(next_generation ORDER BY rn DESC))[1]
  FROM listed
 GROUP BY "distributionId", "packageId", island;

DROP TABLE "PublicationPackage";

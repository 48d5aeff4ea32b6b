-- A download name serves one content forever: overwrites and re-uploads with other bytes get a new name.
CREATE TABLE "PackageFileName" (
    "repositoryId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "uploadSha256" TEXT NOT NULL,
    "servedBlobId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PackageFileName_pkey" PRIMARY KEY ("repositoryId","scope","filename")
);

ALTER TABLE "PackageFileName" ADD CONSTRAINT "PackageFileName_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The names packages already have stay theirs (the newest package wins a name held by several).
INSERT INTO "PackageFileName" ("repositoryId", "scope", "filename", "uploadSha256", "servedBlobId")
SELECT DISTINCT ON (p."repositoryId", scope, p."filename")
       p."repositoryId",
       CASE WHEN p."format" = 'DEB' THEN 'deb:' || d."distro" ELSE 'rpm:' || d."name" END AS scope,
       p."filename",
       b."sha256",
       p."servedBlobId"
FROM "Package" p
JOIN "Distribution" d ON d."id" = p."distributionId"
JOIN "Blob" b ON b."id" = p."blobId"
WHERE p."filename" IS NOT NULL
ORDER BY p."repositoryId", scope, p."filename", p."updatedAt" DESC
ON CONFLICT DO NOTHING;

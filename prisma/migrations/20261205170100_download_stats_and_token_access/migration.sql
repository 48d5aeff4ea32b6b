-- Download counts per hour/package file/token, and each token's /dl access log with its alert state.
CREATE TABLE "DownloadCount" (
  "hour" TIMESTAMP(3) NOT NULL,
  "repositoryId" TEXT NOT NULL,
  "distribution" TEXT NOT NULL,
  "packageName" TEXT NOT NULL,
  "version" TEXT NOT NULL,
  "architecture" TEXT NOT NULL,
  "tokenId" TEXT NOT NULL DEFAULT '',
  "count" INTEGER NOT NULL,
  CONSTRAINT "DownloadCount_pkey" PRIMARY KEY ("hour", "repositoryId", "distribution", "packageName", "version", "architecture", "tokenId")
);
CREATE INDEX "DownloadCount_repositoryId_hour_idx" ON "DownloadCount"("repositoryId", "hour");
ALTER TABLE "DownloadCount" ADD CONSTRAINT "DownloadCount_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "TokenAccess" (
  "tokenId" TEXT NOT NULL,
  "minute" TIMESTAMP(3) NOT NULL,
  "ip" TEXT NOT NULL,
  "requests" INTEGER NOT NULL,
  "files" TEXT[],
  CONSTRAINT "TokenAccess_pkey" PRIMARY KEY ("tokenId", "minute", "ip")
);
CREATE INDEX "TokenAccess_minute_idx" ON "TokenAccess"("minute");
ALTER TABLE "TokenAccess" ADD CONSTRAINT "TokenAccess_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "ApiToken"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "ApiToken" ADD COLUMN "suspiciousAt" TIMESTAMP(3);
ALTER TABLE "ApiToken" ADD COLUMN "suspiciousReason" TEXT;

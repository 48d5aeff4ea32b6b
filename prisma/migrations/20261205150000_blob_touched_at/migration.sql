-- Garbage collection: an unreferenced Blob is collected only once it was last found or created
-- (recordBlob touches it) longer ago than the grace period.
ALTER TABLE "Blob" ADD COLUMN "touchedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
CREATE INDEX "Blob_touchedAt_idx" ON "Blob"("touchedAt");

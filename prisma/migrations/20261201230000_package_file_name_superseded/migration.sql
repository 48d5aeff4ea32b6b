-- An overwritten package's previous download name stays served for the retention period.
ALTER TABLE "PackageFileName" ADD COLUMN "supersededAt" TIMESTAMP(3);

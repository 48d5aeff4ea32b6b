-- A package that left its distribution's indexes (deleted, yanked, removed by retention, moved, or
-- dropped by a restore) keeps its row while a retained publication lists it, so a restore can bring it
-- back. Its own migration: PostgreSQL refuses to use a new enum value in the transaction that adds it.
ALTER TYPE "PackageStatus" ADD VALUE 'REMOVED';

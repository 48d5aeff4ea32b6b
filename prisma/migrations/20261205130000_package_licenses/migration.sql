-- The licenses a package declares, as SPDX license expressions (rpm `License` tag; a .deb's
-- machine-readable debian/copyright), for SBOMs and license policies.
ALTER TABLE "Package" ADD COLUMN "licenses" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];

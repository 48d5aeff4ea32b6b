-- Client certificates as read grants (docs/https.md): the orgs' CAs and the registered certificates.
CREATE TABLE "ClientCa" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "certificatePem" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "sealedPrivateKey" BYTEA,
    "notAfter" TIMESTAMP(3) NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ClientCa_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ClientCa_orgId_fingerprint_key" ON "ClientCa"("orgId", "fingerprint");
CREATE INDEX "ClientCa_orgId_idx" ON "ClientCa"("orgId");
ALTER TABLE "ClientCa" ADD CONSTRAINT "ClientCa_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Org"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "ClientCertificate" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "caId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "serialNumber" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "repositoryIds" TEXT[],
    "notAfter" TIMESTAMP(3) NOT NULL,
    "createdById" TEXT,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ClientCertificate_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ClientCertificate_fingerprint_key" ON "ClientCertificate"("fingerprint");
CREATE INDEX "ClientCertificate_orgId_idx" ON "ClientCertificate"("orgId");
ALTER TABLE "ClientCertificate" ADD CONSTRAINT "ClientCertificate_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Org"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ClientCertificate" ADD CONSTRAINT "ClientCertificate_caId_fkey" FOREIGN KEY ("caId") REFERENCES "ClientCa"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The serving caches remember a certificate's grant like a token's ('token:cert:<fingerprint>');
-- lastUsedAt is bumped by authentication itself and must not flush the cache it feeds.
CREATE FUNCTION pallet_notify_client_certificate() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - 'lastUsedAt') = (to_jsonb(OLD) - 'lastUsedAt') THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('pallet_serving', 'token:cert:' || COALESCE(OLD."fingerprint", NEW."fingerprint"));
  RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER "ClientCertificate_serving" AFTER INSERT OR UPDATE OR DELETE ON "ClientCertificate"
  FOR EACH ROW EXECUTE FUNCTION pallet_notify_client_certificate();
-- A CA removed takes its certificates with it (cascade: their own trigger fires).

-- Transparency log of signed index files (mirrors the TransparencyLog* models of prisma/schema.prisma).

CREATE TABLE "TransparencyLogEntry" (
    "index" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "entry" BYTEA NOT NULL,
    "publicationId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TransparencyLogEntry_pkey" PRIMARY KEY ("index")
);
CREATE INDEX "TransparencyLogEntry_sha256_idx" ON "TransparencyLogEntry"("sha256");

CREATE TABLE "TransparencyLogNode" (
    "level" INTEGER NOT NULL,
    "index" INTEGER NOT NULL,
    "hash" BYTEA NOT NULL,
    CONSTRAINT "TransparencyLogNode_pkey" PRIMARY KEY ("level", "index")
);

CREATE TABLE "TransparencyLogCheckpoint" (
    "treeSize" INTEGER NOT NULL,
    "rootHash" BYTEA NOT NULL,
    "note" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TransparencyLogCheckpoint_pkey" PRIMARY KEY ("treeSize")
);

CREATE TABLE "TransparencyLogKey" (
    "id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "publicKey" BYTEA NOT NULL,
    "sealedPrivateKey" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TransparencyLogKey_pkey" PRIMARY KEY ("id")
);

-- The log is append-only: rewriting or removing an entry, a node, a checkpoint or the key would let the
-- service show different histories to different clients, so the database refuses it.
CREATE FUNCTION pallet_transparency_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER "TransparencyLogEntry_append_only" BEFORE UPDATE OR DELETE ON "TransparencyLogEntry"
  FOR EACH ROW EXECUTE FUNCTION pallet_transparency_log_append_only();
CREATE TRIGGER "TransparencyLogNode_append_only" BEFORE UPDATE OR DELETE ON "TransparencyLogNode"
  FOR EACH ROW EXECUTE FUNCTION pallet_transparency_log_append_only();
CREATE TRIGGER "TransparencyLogCheckpoint_append_only" BEFORE UPDATE OR DELETE ON "TransparencyLogCheckpoint"
  FOR EACH ROW EXECUTE FUNCTION pallet_transparency_log_append_only();
CREATE TRIGGER "TransparencyLogKey_append_only" BEFORE UPDATE OR DELETE ON "TransparencyLogKey"
  FOR EACH ROW EXECUTE FUNCTION pallet_transparency_log_append_only();

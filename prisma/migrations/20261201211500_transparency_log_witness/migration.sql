-- Witnessing other Pallet instances' logs (mirrors the TransparencyLogWitnessed model of prisma/schema.prisma).
CREATE TABLE "TransparencyLogWitnessed" (
    "origin" TEXT NOT NULL,
    "treeSize" INTEGER NOT NULL,
    "rootHash" BYTEA NOT NULL,
    "note" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "TransparencyLogWitnessed_pkey" PRIMARY KEY ("origin")
);

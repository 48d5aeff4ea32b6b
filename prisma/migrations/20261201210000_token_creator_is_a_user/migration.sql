-- ApiToken."createdById" now always names the user whose role bounds the token. Tokens made with a
-- token recorded that token's id; follow such chains to the user at their start. No schema change.
WITH RECURSIVE chain ("id", "creator", "depth") AS (
  SELECT t."id", t."createdById", 0
  FROM "ApiToken" t
  WHERE t."createdById" IN (SELECT "id" FROM "ApiToken")
  UNION ALL
  SELECT c."id", p."createdById", c."depth" + 1
  FROM chain c
  JOIN "ApiToken" p ON p."id" = c."creator"
  WHERE c."depth" < 100
)
UPDATE "ApiToken" t
SET "createdById" = c."creator"
FROM chain c
WHERE c."id" = t."id"
  AND (c."creator" IS NULL OR c."creator" NOT IN (SELECT "id" FROM "ApiToken"));

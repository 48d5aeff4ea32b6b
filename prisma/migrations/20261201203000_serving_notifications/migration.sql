-- Serving caches (the origin's /dl and /_pallet/edge-auth) stay correct through NOTIFY pallet_serving,
-- sent by triggers so that every writer (web, worker, a future service, psql) invalidates them. A NOTIFY
-- inside a transaction is delivered at commit, never for a rolled-back change.
-- Payloads: 'repo:<repositoryId>' (a repository's files, distributions, keys or packages changed),
-- 'repos' (repositories or orgs changed: slugs, visibility), 'token:<tokenHash>' (one token changed),
-- 'tokens' (memberships or users changed: every token's rights may have).

CREATE FUNCTION pallet_notify_repo() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('pallet_serving', 'repo:' || COALESCE(NEW."repositoryId", OLD."repositoryId"));
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION pallet_notify_repos() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('pallet_serving', 'repos');
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION pallet_notify_tokens() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('pallet_serving', 'tokens');
  RETURN NULL;
END $$ LANGUAGE plpgsql;

-- lastUsedAt is bumped by authentication itself: that change must not flush the cache it feeds.
CREATE FUNCTION pallet_notify_token() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - 'lastUsedAt') = (to_jsonb(OLD) - 'lastUsedAt') THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('pallet_serving', 'token:' || COALESCE(OLD."tokenHash", NEW."tokenHash"));
  IF TG_OP = 'UPDATE' AND NEW."tokenHash" IS DISTINCT FROM OLD."tokenHash" THEN
    PERFORM pg_notify('pallet_serving', 'token:' || NEW."tokenHash");
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

-- Package rows change status many times during ingestion; only what /dl serves matters here.
CREATE FUNCTION pallet_notify_package() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW."servedBlobId" IS NOT DISTINCT FROM OLD."servedBlobId"
     AND NEW."filename" IS NOT DISTINCT FROM OLD."filename"
     AND NEW."distributionId" IS NOT DISTINCT FROM OLD."distributionId" THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('pallet_serving', 'repo:' || COALESCE(NEW."repositoryId", OLD."repositoryId"));
  RETURN NULL;
END $$ LANGUAGE plpgsql;

-- Every upload bumps a distribution's generation; only the publication switch changes what is served.
CREATE FUNCTION pallet_notify_distribution() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW."currentPublicationId" IS NOT DISTINCT FROM OLD."currentPublicationId"
     AND NEW."name" = OLD."name" AND NEW."distro" = OLD."distro" AND NEW."format" = OLD."format" THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('pallet_serving', 'repo:' || COALESCE(NEW."repositoryId", OLD."repositoryId"));
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER "Distribution_serving" AFTER INSERT OR UPDATE OR DELETE ON "Distribution"
  FOR EACH ROW EXECUTE FUNCTION pallet_notify_distribution();
CREATE TRIGGER "SigningKey_serving" AFTER INSERT OR UPDATE OR DELETE ON "SigningKey"
  FOR EACH ROW EXECUTE FUNCTION pallet_notify_repo();
CREATE TRIGGER "Package_serving" AFTER UPDATE OR DELETE ON "Package"
  FOR EACH ROW EXECUTE FUNCTION pallet_notify_package();
CREATE TRIGGER "Repository_serving" AFTER INSERT OR UPDATE OR DELETE ON "Repository"
  FOR EACH STATEMENT EXECUTE FUNCTION pallet_notify_repos();
CREATE TRIGGER "Org_serving" AFTER INSERT OR UPDATE OR DELETE ON "Org"
  FOR EACH STATEMENT EXECUTE FUNCTION pallet_notify_repos();
CREATE TRIGGER "ApiToken_serving" AFTER UPDATE OR DELETE ON "ApiToken"
  FOR EACH ROW EXECUTE FUNCTION pallet_notify_token();
CREATE TRIGGER "Membership_serving" AFTER INSERT OR UPDATE OR DELETE ON "Membership"
  FOR EACH STATEMENT EXECUTE FUNCTION pallet_notify_tokens();
CREATE TRIGGER "User_serving" AFTER UPDATE OR DELETE ON "User"
  FOR EACH STATEMENT EXECUTE FUNCTION pallet_notify_tokens();

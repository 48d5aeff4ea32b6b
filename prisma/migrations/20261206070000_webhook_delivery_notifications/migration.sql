-- The worker moves recorded webhook deliveries onto its queue when told so by NOTIFY pallet_webhooks,
-- sent by a trigger so that every writer of a delivery (an event's outbox rows, a redelivery) wakes it.
-- A NOTIFY inside a transaction is delivered at commit, never for a rolled-back change; one statement
-- inserting many rows sends one.

CREATE FUNCTION pallet_notify_webhook_deliveries() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('pallet_webhooks', '');
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER "WebhookDelivery_notify" AFTER INSERT ON "WebhookDelivery"
  FOR EACH STATEMENT EXECUTE FUNCTION pallet_notify_webhook_deliveries();

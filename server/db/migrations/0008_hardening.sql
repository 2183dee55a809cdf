DROP INDEX "events_tenant_seq_idx";--> statement-breakpoint
ALTER TABLE "events" ALTER COLUMN "seq" DROP IDENTITY;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD COLUMN "customer_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "last_event_seq" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "events_tenant_seq_key" ON "events" USING btree ("tenant_id","seq");--> statement-breakpoint
CREATE INDEX "idempotency_customers_idx" ON "idempotency_keys" USING gin ("customer_ids");--> statement-breakpoint
-- Event ids go on per tenant from where each tenant's are: ids already given (and held by clients as Last-Event-ID) stay valid.
UPDATE "tenants" t SET "last_event_seq" = e.last FROM (SELECT "tenant_id", max("seq") AS last FROM "events" GROUP BY "tenant_id") e WHERE e."tenant_id" = t."id";--> statement-breakpoint
-- Answers stored before this migration: every id their path or body names counts as a customer's, so an erasure misses none.
UPDATE "idempotency_keys" SET "customer_ids" = array(
  SELECT DISTINCT m[1]::uuid FROM regexp_matches("scope" || ' ' || "response"::text, '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})', 'g') AS m
);

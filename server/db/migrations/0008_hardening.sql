ALTER TABLE "idempotency_keys" ADD COLUMN "customer_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
CREATE INDEX "idempotency_customers_idx" ON "idempotency_keys" USING gin ("customer_ids");--> statement-breakpoint
-- Answers stored before this migration: every id their path or body names counts as a customer's, so an erasure misses none.
UPDATE "idempotency_keys" SET "customer_ids" = array(
  SELECT DISTINCT m[1]::uuid FROM regexp_matches("scope" || ' ' || "response"::text, '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})', 'g') AS m
);

ALTER TABLE "orders" ADD COLUMN "points_reversed" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Cancelled and refunded orders used to keep points_earned = 0: give them back what they
-- earned (what the reversal took back plus what it could not) and record what it took, from the ledger.
UPDATE "orders" o SET
  "points_reversed" = x."taken",
  "points_earned" = o."points_earned" + o."points_unrecovered" + x."taken"
FROM (
  SELECT f."tenant_id", f."id", coalesce(r."taken", 0) AS "taken"
  FROM "orders" f
  LEFT JOIN (
    SELECT l."tenant_id", l."order_id", -sum(l."delta")::integer AS "taken"
    FROM "ledger_entries" l WHERE l."kind" = 'reversal' AND l."order_id" IS NOT NULL
    GROUP BY l."tenant_id", l."order_id"
  ) r ON r."tenant_id" = f."tenant_id" AND r."order_id" = f."id"
  WHERE f."status" IN ('cancelled', 'refunded')
) x
WHERE o."tenant_id" = x."tenant_id" AND o."id" = x."id";

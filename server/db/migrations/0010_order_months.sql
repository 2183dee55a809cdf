CREATE TABLE "order_months" (
	"tenant_id" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"currency" text NOT NULL,
	"month" date NOT NULL,
	"orders" integer NOT NULL,
	"spent" numeric NOT NULL,
	CONSTRAINT "order_months_tenant_id_customer_id_currency_month_pk" PRIMARY KEY("tenant_id","customer_id","currency","month")
);
--> statement-breakpoint
-- The insights' monthly spend (schema.ts, orderMonths), kept like order_category_months (0009) by
-- statement triggers in the transaction of every write to orders. `direction` 1 adds completed orders, -1 takes them away.
CREATE FUNCTION order_months_add(changed orders[], direction integer) RETURNS void LANGUAGE sql AS $$
  INSERT INTO order_months AS r (tenant_id, customer_id, currency, month, orders, spent)
  SELECT o.tenant_id, o.customer_id, o.currency, date_trunc('month', o.placed_at AT TIME ZONE 'UTC')::date,
    direction * count(*), direction * sum(o.total)
  FROM unnest(changed) o
  WHERE o.status = 'completed'
  GROUP BY 1, 2, 3, 4
  ON CONFLICT (tenant_id, customer_id, currency, month) DO UPDATE
    SET orders = r.orders + excluded.orders, spent = r.spent + excluded.spent;
  DELETE FROM order_months r USING (SELECT DISTINCT o.tenant_id, o.customer_id FROM unnest(changed) o) c
  WHERE direction < 0 AND r.tenant_id = c.tenant_id AND r.customer_id = c.customer_id AND r.orders = 0;
$$;--> statement-breakpoint
CREATE FUNCTION order_months_orders_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was orders[];
  became orders[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM order_months_add(array(SELECT n::orders FROM new_rows n), 1);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM order_months_add(array(SELECT o::orders FROM old_rows o), -1);
  ELSE
    -- Most updates (points, updated_at) change none of these and cost one join.
    SELECT array_agg(o::orders), array_agg(n::orders) INTO was, became
    FROM old_rows o JOIN new_rows n ON n.tenant_id = o.tenant_id AND n.id = o.id
    WHERE (o.status, o.customer_id, o.currency, o.placed_at, o.total) IS DISTINCT FROM (n.status, n.customer_id, n.currency, n.placed_at, n.total);
    IF was IS NOT NULL THEN
      PERFORM order_months_add(was, -1);
      PERFORM order_months_add(became, 1);
    END IF;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER orders_months_insert AFTER INSERT ON orders
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION order_months_orders_changed();--> statement-breakpoint
CREATE TRIGGER orders_months_update AFTER UPDATE ON orders
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION order_months_orders_changed();--> statement-breakpoint
CREATE TRIGGER orders_months_delete AFTER DELETE ON orders
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION order_months_orders_changed();--> statement-breakpoint
-- The orders already there, after the triggers and in their transaction: no write slips between.
INSERT INTO order_months (tenant_id, customer_id, currency, month, orders, spent)
SELECT o.tenant_id, o.customer_id, o.currency, date_trunc('month', o.placed_at AT TIME ZONE 'UTC')::date, count(*), sum(o.total)
FROM orders o
WHERE o.status = 'completed'
GROUP BY 1, 2, 3, 4;

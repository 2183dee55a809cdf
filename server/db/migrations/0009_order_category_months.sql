CREATE TABLE "order_category_months" (
	"tenant_id" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"currency" text NOT NULL,
	"month" date NOT NULL,
	"category" text,
	"orders" integer NOT NULL,
	"quantity" bigint NOT NULL,
	"spent" numeric NOT NULL,
	CONSTRAINT "order_category_months_key" UNIQUE NULLS NOT DISTINCT("tenant_id","customer_id","currency","month","category")
);
--> statement-breakpoint
-- The insights' rollup (schema.ts, orderCategoryMonths) is kept by the triggers below, in the transaction
-- of every write to orders and order_items, whoever writes. `direction` 1 adds what completed orders'
-- items bring to it, -1 takes it away, from the items as they are now.
CREATE FUNCTION order_category_months_add_orders(changed orders[], direction integer) RETURNS void LANGUAGE sql AS $$
  INSERT INTO order_category_months AS r (tenant_id, customer_id, currency, month, category, orders, quantity, spent)
  SELECT c.tenant_id, c.customer_id, c.currency, c.month, c.category, direction * count(*), direction * sum(c.quantity), direction * sum(c.spent)
  FROM (
    SELECT o.tenant_id, o.customer_id, o.currency, date_trunc('month', o.placed_at AT TIME ZONE 'UTC')::date AS month, i.category,
      sum(i.quantity) AS quantity, sum(i.quantity * i.price) AS spent
    FROM unnest(changed) o JOIN order_items i ON i.tenant_id = o.tenant_id AND i.order_id = o.id
    WHERE o.status = 'completed'
    GROUP BY o.tenant_id, o.customer_id, o.currency, 4, i.category, o.id
  ) c
  GROUP BY c.tenant_id, c.customer_id, c.currency, c.month, c.category
  ON CONFLICT (tenant_id, customer_id, currency, month, category) DO UPDATE
    SET orders = r.orders + excluded.orders, quantity = r.quantity + excluded.quantity, spent = r.spent + excluded.spent;
  DELETE FROM order_category_months r USING (SELECT DISTINCT o.tenant_id, o.customer_id FROM unnest(changed) o) c
  WHERE direction < 0 AND r.tenant_id = c.tenant_id AND r.customer_id = c.customer_id AND r.orders = 0;
$$;--> statement-breakpoint
-- Items added to and removed from orders (an update is both). An order counts once in a category:
-- it comes in with its first item of the category and goes with its last.
CREATE FUNCTION order_category_months_add_items(added order_items[], removed order_items[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO order_category_months AS r (tenant_id, customer_id, currency, month, category, orders, quantity, spent)
  SELECT o.tenant_id, o.customer_id, o.currency, date_trunc('month', o.placed_at AT TIME ZONE 'UTC')::date, g.category,
    sum((g.now > 0)::int - (g.now - g.items > 0)::int), sum(g.quantity), sum(g.spent)
  FROM (
    SELECT c.tenant_id, c.order_id, c.category, sum(c.direction) AS items, sum(c.direction * c.quantity) AS quantity,
      sum(c.direction * c.quantity * c.price) AS spent,
      (SELECT count(*) FROM order_items i
       WHERE i.tenant_id = c.tenant_id AND i.order_id = c.order_id AND i.category IS NOT DISTINCT FROM c.category) AS now
    FROM (
      SELECT a.tenant_id, a.order_id, a.category, a.quantity, a.price, 1 AS direction FROM unnest(added) a
      UNION ALL
      SELECT d.tenant_id, d.order_id, d.category, d.quantity, d.price, -1 FROM unnest(removed) d
    ) c
    GROUP BY c.tenant_id, c.order_id, c.category
  ) g
  JOIN orders o ON o.tenant_id = g.tenant_id AND o.id = g.order_id
  WHERE o.status = 'completed'
  GROUP BY 1, 2, 3, 4, 5
  ON CONFLICT (tenant_id, customer_id, currency, month, category) DO UPDATE
    SET orders = r.orders + excluded.orders, quantity = r.quantity + excluded.quantity, spent = r.spent + excluded.spent;
  DELETE FROM order_category_months r
  USING (SELECT DISTINCT o.tenant_id, o.customer_id FROM unnest(removed) d JOIN orders o ON o.tenant_id = d.tenant_id AND o.id = d.order_id) c
  WHERE r.tenant_id = c.tenant_id AND r.customer_id = c.customer_id AND r.orders = 0;
$$;--> statement-breakpoint
CREATE FUNCTION order_category_months_items_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM order_category_months_add_items(array(SELECT n::order_items FROM new_rows n), '{}');
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM order_category_months_add_items('{}', array(SELECT o::order_items FROM old_rows o));
  ELSE
    PERFORM order_category_months_add_items(array(SELECT n::order_items FROM new_rows n), array(SELECT o::order_items FROM old_rows o));
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
-- An order's items move with it when it enters or leaves completed, or changes customer (a merge),
-- currency or month; most updates (points, updated_at) change none of these and cost one join.
CREATE FUNCTION order_category_months_orders_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was orders[];
  became orders[];
BEGIN
  SELECT array_agg(o::orders), array_agg(n::orders) INTO was, became
  FROM old_rows o JOIN new_rows n ON n.tenant_id = o.tenant_id AND n.id = o.id
  WHERE (o.status, o.customer_id, o.currency, o.placed_at) IS DISTINCT FROM (n.status, n.customer_id, n.currency, n.placed_at);
  IF was IS NOT NULL THEN
    PERFORM order_category_months_add_orders(was, -1);
    PERFORM order_category_months_add_orders(became, 1);
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
-- Before the row goes, while its items are there to subtract; the cascade then deletes them
-- from an order no longer found, which changes nothing more.
CREATE FUNCTION order_category_months_order_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM order_category_months_add_orders(ARRAY[OLD], -1);
  RETURN OLD;
END $$;--> statement-breakpoint
-- None on inserted orders: a new order has no items yet (they reference it), and they bring it in.
CREATE TRIGGER order_items_category_months_insert AFTER INSERT ON order_items
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION order_category_months_items_changed();--> statement-breakpoint
CREATE TRIGGER order_items_category_months_update AFTER UPDATE ON order_items
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION order_category_months_items_changed();--> statement-breakpoint
CREATE TRIGGER order_items_category_months_delete AFTER DELETE ON order_items
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION order_category_months_items_changed();--> statement-breakpoint
CREATE TRIGGER orders_category_months_update AFTER UPDATE ON orders
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION order_category_months_orders_updated();--> statement-breakpoint
CREATE TRIGGER orders_category_months_delete BEFORE DELETE ON orders
  FOR EACH ROW EXECUTE FUNCTION order_category_months_order_deleted();--> statement-breakpoint
-- The orders already there, after the triggers and in their transaction: no write slips between.
INSERT INTO order_category_months (tenant_id, customer_id, currency, month, category, orders, quantity, spent)
SELECT c.tenant_id, c.customer_id, c.currency, c.month, c.category, count(*), sum(c.quantity), sum(c.spent)
FROM (
  SELECT o.tenant_id, o.customer_id, o.currency, date_trunc('month', o.placed_at AT TIME ZONE 'UTC')::date AS month, i.category,
    sum(i.quantity) AS quantity, sum(i.quantity * i.price) AS spent
  FROM orders o JOIN order_items i ON i.tenant_id = o.tenant_id AND i.order_id = o.id
  WHERE o.status = 'completed'
  GROUP BY o.tenant_id, o.customer_id, o.currency, 4, i.category, o.id
) c
GROUP BY c.tenant_id, c.customer_id, c.currency, c.month, c.category;

-- The name dictionary learns every word of every customer name as it is written
-- (statement triggers: a bulk insert costs one dictionary insert, not one per row).
CREATE FUNCTION name_dictionary_learn_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO name_dictionary (tenant_id, word)
  SELECT DISTINCT n.tenant_id, w FROM new_rows n, unnest(n.name_words) AS w WHERE w <> ''
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION name_dictionary_learn_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO name_dictionary (tenant_id, word)
  SELECT DISTINCT n.tenant_id, w
  FROM new_rows n JOIN old_rows o ON o.tenant_id = n.tenant_id AND o.id = n.id, unnest(n.name_words) AS w
  WHERE w <> '' AND n.search_name IS DISTINCT FROM o.search_name
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER customers_name_dictionary_insert AFTER INSERT ON customers
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION name_dictionary_learn_inserted();--> statement-breakpoint
CREATE TRIGGER customers_name_dictionary_update AFTER UPDATE ON customers
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION name_dictionary_learn_updated();--> statement-breakpoint
INSERT INTO name_dictionary (tenant_id, word)
SELECT DISTINCT tenant_id, w FROM customers, unnest(name_words) AS w WHERE w <> ''
ON CONFLICT DO NOTHING;

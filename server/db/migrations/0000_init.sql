CREATE TABLE "custom_fields" (
	"tenant_id" text NOT NULL,
	"key" text NOT NULL,
	"label" text NOT NULL,
	"type" text NOT NULL,
	"options" jsonb,
	"required" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "custom_fields_tenant_id_key_pk" PRIMARY KEY("tenant_id","key")
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"tenant_id" text NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"number" integer NOT NULL,
	"first_name" text,
	"last_name" text,
	"email" text,
	"email_subscribed" boolean DEFAULT false NOT NULL,
	"phones" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"phone_numbers" text[] DEFAULT '{}'::text[] NOT NULL,
	"id_type" text,
	"id_number" text,
	"external_id" text,
	"gender" text,
	"city" text,
	"birthday" date,
	"address" jsonb,
	"registered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"registration_code" text,
	"share_code" text NOT NULL,
	"custom" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"level_id" uuid,
	"level_locked" boolean DEFAULT false NOT NULL,
	"points" integer DEFAULT 0 NOT NULL,
	"lifetime_points" integer DEFAULT 0 NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"vip" boolean DEFAULT false NOT NULL,
	"bad" boolean DEFAULT false NOT NULL,
	"assigned_user_id" text,
	"personal_discount" double precision,
	"store" text,
	"legal" jsonb,
	"orders_count" integer DEFAULT 0 NOT NULL,
	"total_spent" bigint DEFAULT 0 NOT NULL,
	"last_order_at" timestamp with time zone,
	"search_name" text DEFAULT '' NOT NULL,
	"sort_name" text DEFAULT '' NOT NULL,
	"search_id_number" text,
	"merged_into" uuid,
	"merged_at" timestamp with time zone,
	"erased_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "customers_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "customers_points_non_negative" CHECK ("customers"."points" >= 0),
	CONSTRAINT "customers_lifetime_points_non_negative" CHECK ("customers"."lifetime_points" >= 0),
	CONSTRAINT "customers_status_check" CHECK ("customers"."status" in ('active', 'inactive', 'disabled', 'removed'))
);
--> statement-breakpoint
CREATE TABLE "duplicate_dismissals" (
	"tenant_id" text NOT NULL,
	"customer_a" uuid NOT NULL,
	"customer_b" uuid NOT NULL,
	"actor_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "duplicate_dismissals_tenant_id_customer_a_customer_b_pk" PRIMARY KEY("tenant_id","customer_a","customer_b")
);
--> statement-breakpoint
CREATE TABLE "events" (
	"tenant_id" text NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"type" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" text,
	"actor_name" text,
	"customer_id" uuid,
	"version" integer,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "events_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"tenant_id" text NOT NULL,
	"key" text NOT NULL,
	"scope" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" integer NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_tenant_id_key_pk" PRIMARY KEY("tenant_id","key")
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"tenant_id" text NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "ledger_entries_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"customer_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"delta" integer NOT NULL,
	"balance_after" integer NOT NULL,
	"reason" text,
	"order_id" uuid,
	"actor_id" text,
	"actor_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"remaining" integer DEFAULT 0 NOT NULL,
	"source_customer_id" uuid,
	CONSTRAINT "ledger_entries_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "ledger_kind_check" CHECK ("ledger_entries"."kind" in ('earn', 'adjust', 'redeem', 'expire', 'forfeit', 'merge', 'reversal')),
	CONSTRAINT "ledger_balance_after_non_negative" CHECK ("ledger_entries"."balance_after" >= 0),
	CONSTRAINT "ledger_remaining_non_negative" CHECK ("ledger_entries"."remaining" >= 0)
);
--> statement-breakpoint
CREATE TABLE "levels" (
	"tenant_id" text NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"min_points" integer NOT NULL,
	"color" text,
	"benefits" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "levels_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "merges" (
	"tenant_id" text NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"primary_id" uuid NOT NULL,
	"source_ids" uuid[] NOT NULL,
	"field_choices" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"snapshots" jsonb NOT NULL,
	"moves" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"actor_id" text NOT NULL,
	"actor_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "merges_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "notes" (
	"tenant_id" text NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" uuid NOT NULL,
	"body" text NOT NULL,
	"author_id" text NOT NULL,
	"author_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_by" text,
	CONSTRAINT "notes_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "order_items" (
	"tenant_id" text NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"sku" text,
	"name" text NOT NULL,
	"category" text,
	"quantity" integer NOT NULL,
	"price" bigint NOT NULL,
	CONSTRAINT "order_items_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"tenant_id" text NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"total" bigint NOT NULL,
	"currency" text NOT NULL,
	"status" text NOT NULL,
	"placed_at" timestamp with time zone NOT NULL,
	"points_earned" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" text PRIMARY KEY NOT NULL,
	"default_region" text DEFAULT 'ES' NOT NULL,
	"currency" text DEFAULT 'EUR' NOT NULL,
	"points_per_unit" double precision DEFAULT 1 NOT NULL,
	"points_validity_days" integer,
	"last_customer_number" integer DEFAULT 1000 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"role" text,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "notes" ADD CONSTRAINT "notes_tenant_id_customer_id_customers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "public"."customers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_tenant_id_order_id_orders_tenant_id_id_fk" FOREIGN KEY ("tenant_id","order_id") REFERENCES "public"."orders"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "customers_tenant_number_key" ON "customers" USING btree ("tenant_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_tenant_share_code_key" ON "customers" USING btree ("tenant_id","share_code");--> statement-breakpoint
CREATE INDEX "customers_tenant_email_idx" ON "customers" USING btree ("tenant_id","email" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "customers_tenant_external_id_idx" ON "customers" USING btree ("tenant_id","external_id");--> statement-breakpoint
CREATE INDEX "customers_tenant_id_number_idx" ON "customers" USING btree ("tenant_id","search_id_number");--> statement-breakpoint
CREATE INDEX "customers_phone_numbers_idx" ON "customers" USING gin ("phone_numbers");--> statement-breakpoint
CREATE INDEX "customers_tags_idx" ON "customers" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "customers_search_name_trgm_idx" ON "customers" USING gin ("search_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customers_tenant_sort_name_idx" ON "customers" USING btree ("tenant_id","sort_name","id");--> statement-breakpoint
CREATE INDEX "customers_tenant_points_idx" ON "customers" USING btree ("tenant_id","points","id");--> statement-breakpoint
CREATE INDEX "customers_tenant_registered_idx" ON "customers" USING btree ("tenant_id","registered_at","id");--> statement-breakpoint
CREATE INDEX "customers_tenant_last_order_idx" ON "customers" USING btree ("tenant_id","last_order_at","id");--> statement-breakpoint
CREATE INDEX "customers_tenant_level_idx" ON "customers" USING btree ("tenant_id","level_id");--> statement-breakpoint
CREATE INDEX "customers_tenant_birthday_idx" ON "customers" USING btree ("tenant_id","birthday");--> statement-breakpoint
CREATE INDEX "events_tenant_customer_seq_idx" ON "events" USING btree ("tenant_id","customer_id","seq");--> statement-breakpoint
CREATE INDEX "events_tenant_seq_idx" ON "events" USING btree ("tenant_id","seq");--> statement-breakpoint
CREATE INDEX "idempotency_created_idx" ON "idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "ledger_tenant_customer_seq_idx" ON "ledger_entries" USING btree ("tenant_id","customer_id","seq");--> statement-breakpoint
CREATE INDEX "ledger_expiring_idx" ON "ledger_entries" USING btree ("tenant_id","expires_at") WHERE "ledger_entries"."remaining" > 0 and "ledger_entries"."expires_at" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "levels_tenant_name_key" ON "levels" USING btree ("tenant_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "levels_tenant_min_points_key" ON "levels" USING btree ("tenant_id","min_points");--> statement-breakpoint
CREATE INDEX "merges_tenant_primary_idx" ON "merges" USING btree ("tenant_id","primary_id");--> statement-breakpoint
CREATE INDEX "notes_tenant_customer_idx" ON "notes" USING btree ("tenant_id","customer_id","created_at");--> statement-breakpoint
CREATE INDEX "order_items_tenant_order_idx" ON "order_items" USING btree ("tenant_id","order_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_tenant_external_id_key" ON "orders" USING btree ("tenant_id","external_id");--> statement-breakpoint
CREATE INDEX "orders_tenant_customer_idx" ON "orders" USING btree ("tenant_id","customer_id","placed_at");
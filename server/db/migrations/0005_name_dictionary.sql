CREATE TABLE "name_dictionary" (
	"tenant_id" text NOT NULL,
	"word" text NOT NULL,
	CONSTRAINT "name_dictionary_tenant_id_word_pk" PRIMARY KEY("tenant_id","word")
);
--> statement-breakpoint
CREATE INDEX "name_dictionary_prefix_idx" ON "name_dictionary" USING btree ("tenant_id","word" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "name_dictionary_trgm_idx" ON "name_dictionary" USING gin ("word" gin_trgm_ops);
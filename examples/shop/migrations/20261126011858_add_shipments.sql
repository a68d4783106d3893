-- Create "shipments" table
CREATE TABLE "public"."shipments" ("id" integer NOT NULL GENERATED ALWAYS AS IDENTITY, "order_id" integer NOT NULL, "carrier" text NOT NULL, "tracking_number" character varying(64) NULL, "shipped_at" timestamptz NULL, PRIMARY KEY ("id"), CONSTRAINT "shipments_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- Create index "shipments_carrier_tracking_number_key" to table: "shipments"
CREATE UNIQUE INDEX "shipments_carrier_tracking_number_key" ON "public"."shipments" ("carrier", "tracking_number") WHERE (tracking_number IS NOT NULL);
-- Create index "shipments_order_idx" to table: "shipments"
CREATE INDEX "shipments_order_idx" ON "public"."shipments" ("order_id");

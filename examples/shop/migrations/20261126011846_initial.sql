-- Create enum type "order_status"
CREATE TYPE "public"."order_status" AS ENUM ('pending', 'paid', 'shipped', 'cancelled');
-- Add new schema named "catalog"
CREATE SCHEMA "catalog";
-- Create enum type "product_status"
CREATE TYPE "catalog"."product_status" AS ENUM ('draft', 'active', 'discontinued');
-- Create "customers" table
CREATE TABLE "public"."customers" ("id" integer NOT NULL GENERATED ALWAYS AS IDENTITY, "email" character varying(320) NOT NULL, "name" text NOT NULL, "created_at" timestamptz NOT NULL DEFAULT now(), PRIMARY KEY ("id"));
-- Create index "customers_email_key" to table: "customers"
CREATE UNIQUE INDEX "customers_email_key" ON "public"."customers" ("email");
-- Create "orders" table
CREATE TABLE "public"."orders" ("id" integer NOT NULL GENERATED ALWAYS AS IDENTITY, "customer_id" integer NOT NULL, "status" "public"."order_status" NOT NULL DEFAULT 'pending', "total_cents" integer NOT NULL, "placed_at" timestamptz NOT NULL DEFAULT now(), PRIMARY KEY ("id"), CONSTRAINT "orders_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- Create index "orders_customer_idx" to table: "orders"
CREATE INDEX "orders_customer_idx" ON "public"."orders" ("customer_id");
-- Create index "orders_open_idx" to table: "orders"
CREATE INDEX "orders_open_idx" ON "public"."orders" ("placed_at") WHERE (status = ANY (ARRAY['pending'::order_status, 'paid'::order_status]));
-- Create "categories" table
CREATE TABLE "catalog"."categories" ("id" integer NOT NULL GENERATED ALWAYS AS IDENTITY, "slug" character varying(80) NOT NULL, "name" text NOT NULL, "parent_id" integer NULL, PRIMARY KEY ("id"), CONSTRAINT "categories_parent_id_categories_id_fk" FOREIGN KEY ("parent_id") REFERENCES "catalog"."categories" ("id") ON UPDATE NO ACTION ON DELETE SET NULL);
-- Create index "categories_slug_key" to table: "categories"
CREATE UNIQUE INDEX "categories_slug_key" ON "catalog"."categories" ("slug");
-- Create "products" table
CREATE TABLE "catalog"."products" ("id" integer NOT NULL GENERATED ALWAYS AS IDENTITY, "sku" character varying(32) NOT NULL, "name" text NOT NULL, "category_id" integer NOT NULL, "status" "catalog"."product_status" NOT NULL DEFAULT 'draft', "price_cents" integer NOT NULL, "created_at" timestamptz NOT NULL DEFAULT now(), PRIMARY KEY ("id"), CONSTRAINT "products_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "catalog"."categories" ("id") ON UPDATE NO ACTION ON DELETE RESTRICT, CONSTRAINT "products_price_cents_check" CHECK (price_cents >= 0));
-- Create index "products_active_category_idx" to table: "products"
CREATE INDEX "products_active_category_idx" ON "catalog"."products" ("category_id") WHERE (status = 'active'::catalog.product_status);
-- Create index "products_sku_key" to table: "products"
CREATE UNIQUE INDEX "products_sku_key" ON "catalog"."products" ("sku");
-- Create "order_items" table
CREATE TABLE "public"."order_items" ("order_id" integer NOT NULL, "product_id" integer NOT NULL, "quantity" integer NOT NULL, "unit_price_cents" integer NOT NULL, PRIMARY KEY ("order_id", "product_id"), CONSTRAINT "order_items_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders" ("id") ON UPDATE NO ACTION ON DELETE CASCADE, CONSTRAINT "order_items_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "catalog"."products" ("id") ON UPDATE NO ACTION ON DELETE RESTRICT);

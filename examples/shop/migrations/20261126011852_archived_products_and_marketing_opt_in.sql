-- Add value to enum type: "product_status"
ALTER TYPE "catalog"."product_status" ADD VALUE 'archived';
-- Modify "customers" table
ALTER TABLE "public"."customers" ADD COLUMN "marketing_opt_in" boolean NOT NULL DEFAULT false;

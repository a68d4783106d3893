/** The product catalog, kept in its own Postgres schema `catalog`. */
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  check,
  index,
  integer,
  pgSchema,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";

export const catalog = pgSchema("catalog");

/** Lifecycle of a product; only `active` products are listed in the shop. */
export const productStatus = catalog.enum("product_status", [
  "draft",
  "active",
  "discontinued",
  "archived",
]);

export const categories = catalog.table("categories", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  slug: varchar("slug", { length: 80 }).notNull().unique("categories_slug_key"),
  name: text("name").notNull(),
  parentId: integer("parent_id").references((): AnyPgColumn => categories.id, {
    onDelete: "set null",
  }),
});

export const products = catalog.table(
  "products",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    sku: varchar("sku", { length: 32 }).notNull(),
    name: text("name").notNull(),
    categoryId: integer("category_id")
      .notNull()
      .references(() => categories.id, { onDelete: "restrict" }),
    status: productStatus("status").notNull().default("draft"),
    priceCents: integer("price_cents").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("products_sku_key").on(table.sku),
    // The storefront lists active products by category; a partial index keeps it small.
    index("products_active_category_idx")
      .on(table.categoryId)
      .where(sql`${table.status} = 'active'`),
    check("products_price_cents_check", sql`${table.priceCents} >= 0`),
  ],
);

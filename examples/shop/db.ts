/** The shop's database access: Drizzle for queries; schema changes go through Atlas migrations. */
import { and, desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import * as catalog from "./schema/catalog.ts";
import * as sales from "./schema/sales.ts";

export const schema = { ...catalog, ...sales };

/** Opens a Drizzle client on `DATABASE_URL` (node-postgres pool). */
export function connect(url = process.env.DATABASE_URL) {
  if (!url) throw new Error("DATABASE_URL is not set");
  return drizzle(url, { schema });
}

export type ShopDatabase = ReturnType<typeof connect>;

/** Active products of a category, newest first (served by `products_active_category_idx`). */
export function activeProducts(db: ShopDatabase, categoryId: number) {
  return db
    .select({ id: catalog.products.id, sku: catalog.products.sku, name: catalog.products.name })
    .from(catalog.products)
    .where(and(eq(catalog.products.categoryId, categoryId), eq(catalog.products.status, "active")))
    .orderBy(desc(catalog.products.createdAt));
}

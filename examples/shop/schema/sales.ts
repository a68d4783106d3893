/** Customers and orders, in the default `public` schema. */
import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";
import { products } from "./catalog.ts";

export const orderStatus = pgEnum("order_status", ["pending", "paid", "shipped", "cancelled"]);

export const customers = pgTable(
  "customers",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    email: varchar("email", { length: 320 }).notNull(),
    name: text("name").notNull(),
    marketingOptIn: boolean("marketing_opt_in").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("customers_email_key").on(table.email)],
);

export const orders = pgTable(
  "orders",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    status: orderStatus("status").notNull().default("pending"),
    totalCents: integer("total_cents").notNull(),
    placedAt: timestamp("placed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("orders_customer_idx").on(table.customerId),
    // Fulfilment polls open orders only.
    index("orders_open_idx").on(table.placedAt).where(sql`${table.status} in ('pending', 'paid')`),
  ],
);

export const orderItems = pgTable(
  "order_items",
  {
    orderId: integer("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    productId: integer("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "restrict" }),
    quantity: integer("quantity").notNull(),
    unitPriceCents: integer("unit_price_cents").notNull(),
  },
  (table) => [primaryKey({ columns: [table.orderId, table.productId] })],
);

export const shipments = pgTable(
  "shipments",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    orderId: integer("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    carrier: text("carrier").notNull(),
    trackingNumber: varchar("tracking_number", { length: 64 }),
    shippedAt: timestamp("shipped_at", { withTimezone: true }),
  },
  (table) => [
    index("shipments_order_idx").on(table.orderId),
    // A tracking number is unique per carrier once the parcel has one.
    uniqueIndex("shipments_carrier_tracking_number_key")
      .on(table.carrier, table.trackingNumber)
      .where(sql`${table.trackingNumber} is not null`),
  ],
);

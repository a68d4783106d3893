import { describe, expect, it } from "vitest";
import { describeObject, objectOfStatement } from "./objects.ts";

const described = (statement: string) => {
  const object = objectOfStatement(statement);
  return object ? `${object.expect} ${describeObject(object)}` : undefined;
};

describe("objectOfStatement", () => {
  it("names the object of each statement shape drizzle-kit generates", () => {
    expect(described(`CREATE TYPE "public"."status" AS ENUM('active', 'disabled');`)).toBe(
      "present enum public.status",
    );
    expect(described(`ALTER TYPE "public"."status" ADD VALUE 'banned';`)).toBe(
      "present enum value public.status.banned",
    );
    expect(described(`CREATE TABLE "users" (\n\t"id" serial PRIMARY KEY NOT NULL\n);`)).toBe(
      "present table public.users",
    );
    expect(described(`CREATE TABLE "catalog"."items" ("id" int);`)).toBe(
      "present table catalog.items",
    );
    expect(described(`ALTER TABLE "posts" ADD COLUMN "published" boolean DEFAULT false;`)).toBe(
      "present column public.posts.published",
    );
    expect(
      described(
        `ALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id");`,
      ),
    ).toBe("present constraint public.posts.posts_author_id_users_id_fk");
    expect(
      described(`CREATE UNIQUE INDEX "users_email_idx" ON "users" USING btree ("email");`),
    ).toBe("present index public.users.users_email_idx");
    expect(described(`ALTER TABLE "posts" DROP COLUMN "legacy";`)).toBe(
      "absent column public.posts.legacy",
    );
    expect(described(`DROP TABLE "old" CASCADE;`)).toBe("absent table public.old");
    expect(described(`ALTER TABLE "posts" RENAME COLUMN "title" TO "headline";`)).toBe(
      "present column public.posts.headline",
    );
    expect(described(`CREATE SCHEMA "catalog";\n`)).toBe("present schema catalog");
    expect(described(`CREATE EXTENSION IF NOT EXISTS pg_trgm;`)).toBe("present extension pg_trgm");
    expect(
      described(
        "CREATE OR REPLACE VIEW \"active_users\" AS (select * from users where status = 'active');",
      ),
    ).toBe("present view public.active_users");
    expect(
      described(
        "CREATE TRIGGER posts_trim BEFORE INSERT ON posts FOR EACH ROW EXECUTE FUNCTION trim_title();",
      ),
    ).toBe("present trigger public.posts.posts_trim");
    expect(described(`ALTER TABLE "posts" ALTER COLUMN "title" SET DATA TYPE varchar(200);`)).toBe(
      undefined,
    );
    expect(described("UPDATE posts SET published = true;")).toBe(undefined);
  });

  it("skips leading comments and folds unquoted names to lower case", () => {
    expect(described("-- why\n/* more */ CREATE INDEX Posts_Idx ON Public.Posts (id);")).toBe(
      "present index public.posts.posts_idx",
    );
  });
});

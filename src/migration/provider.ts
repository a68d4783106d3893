import type * as pulumi from "@pulumi/pulumi";

/**
 * Where the lifecycle module lives. The provider object below is serialized into the Pulumi
 * state with its closure, so it captures only this string and imports the real code at run
 * time (Node 24 runs the TypeScript directly).
 */
const lifecycleUrl = new URL("./lifecycle.ts", import.meta.url).href;

/**
 * The Migration resource's dynamic provider: thin forwarding to `lifecycle.ts`.
 *
 * Each method builds its `import()` with `new Function` so that no bundler or test runner can
 * rewrite it into a helper that would be captured (and fail to serialize). If the project moved
 * since the state was written, `ATLAS_ROLLOUT_ROOT` (set by our CLIs) locates it again.
 */
export const migrationProvider: pulumi.dynamic.ResourceProvider = {
  async check(olds, news) {
    const load = new Function(
      "url",
      "root",
      "return import(url).catch(() => import(root + '/src/migration/lifecycle.ts'))",
    );
    return (await load(lifecycleUrl, `file://${process.env.ATLAS_ROLLOUT_ROOT}`)).check(olds, news);
  },
  async diff(id, olds, news) {
    const load = new Function(
      "url",
      "root",
      "return import(url).catch(() => import(root + '/src/migration/lifecycle.ts'))",
    );
    return (await load(lifecycleUrl, `file://${process.env.ATLAS_ROLLOUT_ROOT}`)).diff(
      id,
      olds,
      news,
    );
  },
  async create(inputs) {
    const load = new Function(
      "url",
      "root",
      "return import(url).catch(() => import(root + '/src/migration/lifecycle.ts'))",
    );
    return (await load(lifecycleUrl, `file://${process.env.ATLAS_ROLLOUT_ROOT}`)).create(inputs);
  },
  async update(id, olds, news) {
    const load = new Function(
      "url",
      "root",
      "return import(url).catch(() => import(root + '/src/migration/lifecycle.ts'))",
    );
    return (await load(lifecycleUrl, `file://${process.env.ATLAS_ROLLOUT_ROOT}`)).update(
      id,
      olds,
      news,
    );
  },
  async read(id, props) {
    const load = new Function(
      "url",
      "root",
      "return import(url).catch(() => import(root + '/src/migration/lifecycle.ts'))",
    );
    return (await load(lifecycleUrl, `file://${process.env.ATLAS_ROLLOUT_ROOT}`)).read(id, props);
  },
  async delete() {
    // Deleting the resource never touches the database.
  },
};

import type * as pulumi from "@pulumi/pulumi";

/**
 * Where the lifecycle module lives. The provider object below is serialized into the Pulumi
 * state with its closure, so it captures only this string and imports the real code at run
 * time (Node 24 runs the TypeScript directly).
 */
const lifecycleUrl = new URL("./lifecycle.ts", import.meta.url).href;

/** The Migration resource's dynamic provider: thin forwarding to `lifecycle.ts`. */
export const migrationProvider: pulumi.dynamic.ResourceProvider = {
  async check(olds, news) {
    const lifecycle = await import(lifecycleUrl);
    return lifecycle.check(olds, news);
  },
  async diff(id, olds, news) {
    const lifecycle = await import(lifecycleUrl);
    return lifecycle.diff(id, olds, news);
  },
  async create(inputs) {
    const lifecycle = await import(lifecycleUrl);
    return lifecycle.create(inputs);
  },
  async update(id, olds, news) {
    const lifecycle = await import(lifecycleUrl);
    return lifecycle.update(id, olds, news);
  },
  async read(id, props) {
    const lifecycle = await import(lifecycleUrl);
    return lifecycle.read(id, props);
  },
  async delete() {
    // Deleting the resource never touches the database.
  },
};

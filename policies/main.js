// Entry point named by package.json. The Pulumi policy runner registers ts-node for `.ts` files
// loaded with require(), which cannot compile this pack; importing the entry from an ES module
// hands it to Node's own type stripping instead (Node >= 24, outside node_modules).
import "./index.ts";

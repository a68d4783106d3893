// Preloaded into `drizzle-kit export` (node --require). drizzle-kit prints the SQL on stdout, and
// schema modules run inside the same process while drizzle-kit loads them: anything they print
// with console.log/info/debug would end up in the desired-state SQL. While a module is being
// loaded, those methods write to stderr instead. Output printed later (timers, promises) still
// reaches stdout; export.ts rejects it as "not SQL".
"use strict";
const Module = require("node:module");
const { format } = require("node:util");

const originalLoad = Module._load;
const original = { log: console.log, info: console.info, debug: console.debug };
const toStderr = (...args) => {
  process.stderr.write(`${format(...args)}\n`);
};
let depth = 0;

Module._load = function load(...args) {
  const isMain = args[2];
  if (isMain) return originalLoad.apply(this, args);
  if (depth++ === 0) {
    console.log = toStderr;
    console.info = toStderr;
    console.debug = toStderr;
  }
  try {
    return originalLoad.apply(this, args);
  } finally {
    if (--depth === 0) Object.assign(console, original);
  }
};

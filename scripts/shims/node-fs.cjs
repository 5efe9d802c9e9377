// Stands in for `node:fs` everywhere in the bundle but @actions/core (see scripts/build.mjs). An
// ESM import of node:fs reads every export, and its promises, ReadStream and WriteStream getters
// load fs/promises, readline, the REPL history and streams (14 modules). A CommonJS module object
// reads a member only when it is used.
module.exports = process.getBuiltinModule('node:fs');

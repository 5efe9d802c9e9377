// Stands in for `node:crypto` everywhere in the bundle but @actions/core (see scripts/build.mjs). An
// ESM import of node:crypto reads every export, and its webcrypto and subtle getters load WebCrypto.
// A CommonJS module object reads a member only when it is used.
module.exports = process.getBuiltinModule('node:crypto');

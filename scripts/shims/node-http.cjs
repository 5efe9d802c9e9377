// Stands in for `node:http` everywhere in the bundle (see scripts/build.mjs). An ESM import of
// node:http reads every export, and its WebSocket, CloseEvent and MessageEvent getters load
// node's internal undici (about 30 ms, measured with --cpu-prof). A CommonJS module object reads
// a member only when it is used.
module.exports = process.getBuiltinModule('node:http');

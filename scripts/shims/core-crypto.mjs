// Stands in for `crypto` in @actions/core's file-command.js in the bundle (see scripts/build.mjs):
// that file only needs randomUUID, for multi-line file commands; node:crypto loads on that call.
export const randomUUID = (...args) => process.getBuiltinModule('node:crypto').randomUUID(...args);

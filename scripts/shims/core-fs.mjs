// Stands in for `fs` in @actions/core's file-command.js and summary.js in the bundle (see
// scripts/build.mjs). An ESM import of `fs` builds its namespace, which reads `fs.promises` and
// so loads the promise API, streams and readline (~3 ms of every start-up). The CommonJS object
// from getBuiltinModule has no such cost; the promise functions load on their first call.
const fs = () => process.getBuiltinModule('node:fs');

export const existsSync = (...args) => fs().existsSync(...args);
export const appendFileSync = (...args) => fs().appendFileSync(...args);
export const constants = fs().constants;
/** Only what summary.js takes from it (checked at build time): each loads the promise API on first use. */
export const promises = {
  access: (...args) => fs().promises.access(...args),
  appendFile: (...args) => fs().promises.appendFile(...args),
  writeFile: (...args) => fs().promises.writeFile(...args),
};

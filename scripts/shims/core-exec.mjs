// Stands in for `@actions/exec` in @actions/core's platform.js in the bundle (see scripts/build.mjs):
// platform.js only calls exec.getExecOutput, in core.platform.getDetails(), which the action never
// calls (the build fails if src/ does). Bundled, @actions/exec and @actions/io were 12 KB of dist/
// that no run loads, and importing them read `fs.promises` (~3 ms of every start-up).
export const getExecOutput = async () => {
  throw new Error('@actions/exec is not bundled: core.platform.getDetails() needs it (see scripts/build.mjs)');
};

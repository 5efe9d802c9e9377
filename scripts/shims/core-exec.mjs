// Stands in for `@actions/exec` in @actions/core's platform.js in the bundle (see scripts/build.mjs):
// platform.js only calls exec.getExecOutput (in core.platform.getDetails, which the action never
// calls), but importing @actions/exec loads @actions/io, whose top level reads `fs.promises`
// (the promise API, streams, readline: ~3 ms of every start-up). It now loads on first call.
export const getExecOutput = async (...args) => (await import('@actions/exec')).getExecOutput(...args);

// Stands in for `undici` in our @actions/http-client in the bundle (see scripts/build.mjs). It
// imports undici for one ProxyAgent, which only HttpClient.getAgentDispatcher() builds, and no
// module that imports our http-client calls that (the build fails if one does). Bundled, undici
// and its 400 KB chunk loaded with every login; V8 compiling it was the largest cost there.
exports.ProxyAgent = class ProxyAgent {
  constructor() {
    throw new Error('undici is not bundled for @actions/http-client: call sites of getAgentDispatcher() need it (see scripts/build.mjs)');
  }
};

// Stands in for `undici` in our @actions/http-client in the bundle (see scripts/build.mjs): it
// imports undici at load for one ProxyAgent, built only by getAgentDispatcher(). The real undici
// (tens of ms to load) loads when one is constructed; the constructor returns the real agent.
exports.ProxyAgent = class ProxyAgent {
  constructor(...args) {
    return new (require('undici').ProxyAgent)(...args);
  }
};

// Stands in for @actions/core's ./oidc-utils.js in the bundle (see scripts/build.mjs). core.js
// imports it at load only for core.getIDToken, and it pulls in @actions/http-client with
// http, https, tunnel and undici. The real module loads on the first getIDToken call.
export class OidcClient {
  static async getIDToken(audience) {
    const { OidcClient: Real } = await import('@actions/core/lib/oidc-utils.js');
    return Real.getIDToken(audience);
  }
}

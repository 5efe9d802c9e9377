import type { LoginConfig } from './inputs.js';
import type { PulumiCloudClient, TokenSource } from './pulumi-client.js';

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

export interface TokenSessionDeps {
  client: PulumiCloudClient;
  idToken: () => Promise<string>;
  /** Called for every token issued, before it is used: mask it, publish it. */
  onToken: (issued: IssuedToken, isRefresh: boolean) => void;
  log: (message: string) => void;
  now?: () => number;
}

/** Holds the Pulumi access token and exchanges a fresh ID token for a new one before it runs out. */
export class TokenSession implements TokenSource {
  private issued?: IssuedToken;
  private lifetimeMs = 0;
  private pending?: Promise<string>;

  constructor(
    private readonly login: LoginConfig,
    private readonly deps: TokenSessionDeps,
  ) {}

  get token(): IssuedToken | undefined {
    return this.issued;
  }

  async start(): Promise<IssuedToken> {
    await this.exchange(false);
    return this.issued!;
  }

  /** The current token, refreshed first when less than a fifth of its life (at most 5 min) is left. */
  async current(): Promise<string> {
    if (!this.issued) return this.exchange(false);
    const now = (this.deps.now ?? Date.now)();
    const margin = Math.min(5 * 60_000, this.lifetimeMs / 5);
    if (this.issued.expiresAt.getTime() - now <= margin) return this.refresh('the access token is about to expire');
    return this.issued.token;
  }

  refresh(reason: string): Promise<string> {
    // Concurrent callers share one exchange.
    this.pending ??= (async () => {
      this.deps.log(`Refreshing the Pulumi access token: ${reason}.`);
      try {
        return await this.exchange(true);
      } finally {
        this.pending = undefined;
      }
    })();
    return this.pending;
  }

  private async exchange(isRefresh: boolean): Promise<string> {
    const grant = await this.deps.client.exchangeToken(
      {
        organization: this.login.organization,
        audience: this.login.audience,
        tokenType: this.login.tokenType,
        scope: this.login.scope,
        expirationSeconds: this.login.expirationSeconds,
      },
      this.deps.idToken,
    );
    const now = (this.deps.now ?? Date.now)();
    this.lifetimeMs = Math.max(0, grant.expires_in) * 1000;
    this.issued = { token: grant.access_token, expiresAt: new Date(now + this.lifetimeMs) };
    this.deps.onToken(this.issued, isRefresh);
    return grant.access_token;
  }
}

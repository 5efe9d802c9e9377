import type { LoginConfig } from '../inputs/parse.js';
import type { PulumiCloudClient, TokenGrant, TokenSource } from '../cloud/client.js';

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/** The service's default lifetime, used when an answer's `expires_in` cannot be trusted and none was requested. */
export const DEFAULT_LIFETIME_SECONDS = 2 * 3600;
/** Longer than any lifetime the service grants; past it a value is nonsense, not a long token. */
export const MAX_LIFETIME_SECONDS = 365 * 24 * 3600;
/**
 * No proactive refresh within half a token's life, nor within this: a tiny lifetime cannot make every
 * call exchange. Never delays an honest refresh (due at 4/5 of the life) of a token of 6.25 s or more.
 */
export const MIN_REFRESH_INTERVAL_MS = 5_000;
/** RFC 6750 b64token characters; a Pulumi token is 44 of them. */
const TOKEN_SYNTAX = /^[A-Za-z0-9\-._~+/]+=*$/;
export const TOKEN_MIN_LENGTH = 16;
export const TOKEN_MAX_LENGTH = 4096;

export interface TokenSessionDeps {
  client: PulumiCloudClient;
  idToken: () => Promise<string>;
  /** Called for every token issued, before it is used: mask it, publish it. */
  onToken: (issued: IssuedToken, isRefresh: boolean) => void;
  log: (message: string) => void;
  /** One warning per session about an unusable lifetime (default: log). */
  warn?: (message: string) => void;
  now?: () => number;
}

/**
 * Refuses an access token that is not a plausible bearer token. The value is never quoted: it may be
 * a real secret, or text crafted for the log. `token_type`, `scope` and `issued_token_type` are not read.
 */
export function checkAccessToken(grant: unknown): string {
  const token = grant && typeof grant === 'object' ? (grant as { access_token?: unknown }).access_token : undefined;
  let problem: string | undefined;
  if (typeof token !== 'string') problem = token === undefined || token === null ? 'no access_token' : `an access_token that is not a string (${typeof token})`;
  else if (!token) problem = 'an empty access_token';
  else if (token.length < TOKEN_MIN_LENGTH || token.length > TOKEN_MAX_LENGTH) problem = `an access_token of ${token.length} characters`;
  else if (!TOKEN_SYNTAX.test(token)) problem = 'an access_token with characters a bearer token cannot have (spaces, control or non-ASCII characters)';
  if (problem) {
    throw new Error(
      `Token exchange answered 200 with ${problem}; expected ${TOKEN_MIN_LENGTH} to ${TOKEN_MAX_LENGTH} characters of A-Z a-z 0-9 - . _ ~ + / =. The token was not used or published.`,
    );
  }
  return token as string;
}

/**
 * The lifetime to trust, in seconds. A missing, non-numeric, non-positive or absurd `expires_in`
 * becomes the requested expiration, else the service default; `problem` then says why.
 */
export function tokenLifetime(expiresIn: unknown, requestedSeconds?: number): { seconds: number; problem?: string } {
  const n = typeof expiresIn === 'number' ? expiresIn : typeof expiresIn === 'string' && /^\d{1,12}$/.test(expiresIn) ? Number(expiresIn) : NaN;
  if (Number.isFinite(n) && n >= 1 && n <= MAX_LIFETIME_SECONDS) return { seconds: Math.floor(n) };
  const fallback = Math.min(requestedSeconds ?? DEFAULT_LIFETIME_SECONDS, MAX_LIFETIME_SECONDS);
  const source = requestedSeconds ? 'the requested token-expiration' : 'the service default';
  return { seconds: fallback, problem: `Pulumi Cloud answered ${describeValue(expiresIn)} as the token lifetime (expires_in); assuming ${fallback} s, ${source}.` };
}

/** Says what a hostile value is without echoing it (numbers print as digits only). */
function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'no value';
  if (typeof value === 'number') return String(value); // digits, '.', 'e', '+', '-', NaN or Infinity
  if (typeof value === 'string') return `a non-numeric string of ${value.length} characters`;
  return `a value of type ${Array.isArray(value) ? 'array' : typeof value}`;
}

/** Holds the Pulumi access token and exchanges a fresh ID token for a new one before it runs out. */
export class TokenSession implements TokenSource {
  private issued?: IssuedToken;
  private lifetimeMs = 0;
  private exchangedAt = -Infinity;
  private warned = false;
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

  /**
   * The current token, refreshed first when less than a fifth of its life (at most 5 min) is left,
   * but not sooner than MIN_REFRESH_INTERVAL_MS after the last exchange: a 401 still refreshes through `refresh`.
   */
  async current(): Promise<string> {
    if (!this.issued) return this.exchange(false);
    const now = this.now();
    const margin = Math.min(5 * 60_000, this.lifetimeMs / 5);
    const due = this.issued.expiresAt.getTime() - now <= margin;
    if (due && now - this.exchangedAt >= Math.max(MIN_REFRESH_INTERVAL_MS, this.lifetimeMs / 2)) return this.refresh('the access token is about to expire');
    return this.issued.token;
  }

  /**
   * A new token. `rejected`: the token a 401 refused; when the session has moved past it already
   * (another stack's 401 refreshed it), the newer token is the answer: one refresh for every stack.
   */
  refresh(reason: string, rejected?: string): Promise<string> {
    if (!this.pending && rejected !== undefined && this.issued && this.issued.token !== rejected) return Promise.resolve(this.issued.token);
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

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  private async exchange(isRefresh: boolean): Promise<string> {
    const grant: TokenGrant = await this.deps.client.exchangeToken(
      {
        organization: this.login.organization,
        audience: this.login.audience,
        tokenType: this.login.tokenType,
        scope: this.login.scope,
        expirationSeconds: this.login.expirationSeconds,
      },
      this.deps.idToken,
    );
    // Everything is checked before onToken publishes anything.
    const token = checkAccessToken(grant);
    const lifetime = tokenLifetime((grant as { expires_in?: unknown }).expires_in, this.login.expirationSeconds);
    if (lifetime.problem && !this.warned) {
      this.warned = true;
      (this.deps.warn ?? this.deps.log)(lifetime.problem);
    }
    const now = this.now();
    this.exchangedAt = now;
    this.lifetimeMs = lifetime.seconds * 1000;
    this.issued = { token, expiresAt: new Date(now + this.lifetimeMs) };
    this.deps.onToken(this.issued, isRefresh);
    return token;
  }
}

import type { components } from './generated/pulumi-api.js';
import { HttpError, type JsonHttp } from './http.js';
import type { DeploymentRequestBody } from './deployment-request.js';
import type { StackRef, TokenType } from './inputs.js';
import { DEFAULT_RETRY, POLLING_RETRY, withRetry, type RetryHooks, type RetryPolicy } from './retry.js';

type Schemas = components['schemas'];
export type TokenGrant = Schemas['TokenExchangeGrantResponse'];
export type CreatedDeployment = Schemas['CreateDeploymentResponse'];
export type Deployment = Schemas['GetDeploymentResponse'];
export type DeploymentLogsPage = Schemas['DeploymentLogs'];
export type UpdateInfo = Schemas['UpdateInfo'];
export type UpdateEventsPage = Schemas['GetUpdateEventsResponse'];
export type EngineEvent = Schemas['EngineEvent'];

/** The update kinds whose engine events have an endpoint (`/{kind}/{updateID}/events`). */
export const EVENT_KINDS = ['preview', 'update', 'refresh', 'destroy'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
/** Update ids are UUIDs; anything else (slashes, dots, `%`) must never reach the URL path. */
const UPDATE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export interface DeploymentRef extends StackRef {
  id: string;
}

/** Supplies the access token, refreshing it before it expires or after a 401. */
export interface TokenSource {
  current(): Promise<string>;
  refresh(reason: string): Promise<string>;
}

export interface TokenExchangeRequest {
  organization: string;
  audience: string;
  tokenType: TokenType;
  scope?: string;
  expirationSeconds?: number;
}

/** A failed Pulumi Cloud call, said in one line with the service's own words and request id. */
export class PulumiCloudError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'PulumiCloudError';
  }
}

const ACCEPT = 'application/vnd.pulumi+8';
type Retry = 'idempotent' | 'create';

/** The only code that talks to Pulumi Cloud: headers, errors, retries and token refresh. */
export class PulumiCloudClient {
  private tokens?: TokenSource;

  constructor(
    readonly baseUrl: string,
    private readonly http: JsonHttp,
    private readonly hooks: RetryHooks = {},
  ) {}

  useTokens(tokens: TokenSource): void {
    this.tokens = tokens;
  }

  /** RFC 8693 exchange; each attempt asks for a fresh ID token since ID tokens are short-lived. */
  async exchangeToken(request: TokenExchangeRequest, idToken: () => Promise<string>): Promise<TokenGrant> {
    return withRetry(async () => {
      const body: Record<string, string | number> = {
        // The same value as the ID token's `aud`: the service requires them equal.
        audience: request.audience,
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        subject_token: await idToken(),
        subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
        requested_token_type: `urn:pulumi:token-type:access_token:${request.tokenType}`,
      };
      if (request.scope) body.scope = request.scope;
      if (request.expirationSeconds) body.expiration = request.expirationSeconds;
      try {
        const response = await this.http.request<TokenGrant>('POST', `${this.baseUrl}/api/oauth/token`, JSON.stringify(body), {
          'Content-Type': 'application/json',
          Accept: 'application/json',
        });
        if (typeof response.body?.access_token !== 'string' || !response.body.access_token) {
          throw new PulumiCloudError('Token exchange answered 200 without an access_token', response.status, response.requestId);
        }
        return response.body;
      } catch (error) {
        throw describe(error, 'Token exchange', 'idempotent');
      }
    }, DEFAULT_RETRY, this.hooks);
  }

  createDeployment(stack: StackRef, body: DeploymentRequestBody): Promise<CreatedDeployment> {
    return this.call('POST', `${stackPath(stack)}/deployments`, 'Creating the deployment', 'create', body);
  }

  getDeployment(ref: DeploymentRef, signal?: AbortSignal): Promise<Deployment> {
    return this.call('GET', deploymentPath(ref), 'Reading the deployment', 'idempotent', undefined, POLLING_RETRY, signal);
  }

  getDeploymentLogs(ref: DeploymentRef, continuationToken: string | undefined, signal?: AbortSignal): Promise<DeploymentLogsPage> {
    const query = continuationToken ? `?continuationToken=${encodeURIComponent(continuationToken)}` : '';
    return this.call('GET', `${deploymentPath(ref)}/logs${query}`, 'Reading the deployment logs', 'idempotent', undefined, POLLING_RETRY, signal);
  }

  async getDeploymentUpdates(ref: DeploymentRef): Promise<UpdateInfo[]> {
    const updates = await this.call<UpdateInfo[] | null>('GET', `${deploymentPath(ref)}/updates`, 'Reading the deployment updates', 'idempotent');
    return updates ?? [];
  }

  /** One page of an update's engine events; kind and id come from the service, so both are checked first. */
  getUpdateEvents(stack: StackRef, kind: string, updateId: string, continuationToken: string | undefined, signal?: AbortSignal): Promise<UpdateEventsPage> {
    if (!(EVENT_KINDS as readonly string[]).includes(kind)) return Promise.reject(new Error(`Update kind '${kind.slice(0, 40)}' has no events endpoint`));
    if (typeof updateId !== 'string' || !UPDATE_ID.test(updateId)) return Promise.reject(new Error('The service returned an update id that is not a plain id'));
    const query = continuationToken ? `?continuationToken=${encodeURIComponent(continuationToken)}` : '';
    const path = `${stackPath(stack)}/${encodeURIComponent(kind)}/${encodeURIComponent(updateId)}/events${query}`;
    return this.call('GET', path, 'Reading the update events', 'idempotent', undefined, DEFAULT_RETRY, signal);
  }

  async cancelDeployment(ref: DeploymentRef, policy: RetryPolicy = DEFAULT_RETRY): Promise<void> {
    await this.call('POST', `${deploymentPath(ref)}/cancel`, 'Cancelling the deployment', 'idempotent', undefined, policy);
  }

  private async call<T>(
    method: string,
    path: string,
    what: string,
    retry: Retry,
    body?: unknown,
    policy: RetryPolicy = DEFAULT_RETRY,
    signal?: AbortSignal,
  ): Promise<T> {
    if (!this.tokens) throw new Error('PulumiCloudClient used before login');
    let refreshed = false;
    return withRetry(async () => {
      const token = await this.tokens!.current();
      try {
        return (await this.http.request<T>(method, `${this.baseUrl}${path}`, body === undefined ? undefined : JSON.stringify(body), {
          Authorization: `token ${token}`,
          Accept: ACCEPT,
          'Content-Type': 'application/json',
        })).body;
      } catch (error) {
        // A 401 was rejected before anything happened, so even the create POST may go again once.
        if (error instanceof HttpError && error.status === 401 && !refreshed) {
          refreshed = true;
          await this.tokens!.refresh('Pulumi Cloud answered 401');
          // Described like any other failure, in case no attempt is left to retry it.
          throw Object.assign(describe(error, what, retry), { retryable: true, retryAfterMs: 0 });
        }
        throw describe(error, what, retry);
      }
    }, policy, { ...this.hooks, signal });
  }
}

function stackPath(stack: StackRef): string {
  return `/api/stacks/${encodeURIComponent(stack.organization)}/${encodeURIComponent(stack.project)}/${encodeURIComponent(stack.stack)}`;
}

function deploymentPath(ref: DeploymentRef): string {
  return `${stackPath(ref)}/deployments/${encodeURIComponent(ref.id)}`;
}

/** Decides retryability and rewrites the error into one line that says what failed and why. */
function describe(error: unknown, what: string, retry: Retry): Error {
  if (!(error instanceof HttpError)) return error instanceof Error ? error : new Error(String(error));
  if (error.kind === 'status') {
    const status = error.status ?? 0;
    error.retryable = retry === 'idempotent' && (status === 429 || status >= 500);
    const reason = serviceReason(error.details.body);
    const id = error.details.requestId ? ` (request id ${error.details.requestId})` : '';
    const hint = nextStep(what, status);
    const wrapped = new PulumiCloudError(`${what} failed: Pulumi Cloud answered ${status}${reason ? `: ${reason}` : ''}${id}${hint ? `. ${hint}` : ''}`, status, error.details.requestId);
    Object.assign(wrapped, { retryable: error.retryable, retryAfterMs: error.retryAfterMs });
    return wrapped;
  }
  // Never resend a create that may have reached the server: it could start a second deployment.
  if (retry === 'create' && error.details.reachedServer) error.retryable = false;
  error.message = `${what} failed: ${error.message}`;
  return error;
}

/** What to do next, for the failures users meet most. */
function nextStep(what: string, status: number): string | undefined {
  if (status === 403 && what === 'Token exchange') return "Check that the organization's OIDC issuer policy allows this repository's subject and the requested token type and scope";
  if (status === 403) return 'The token lacks permission for this stack: check requested-token-type, scope and the team or role';
  if (status === 404 && what === 'Creating the deployment') return 'Check that the stack exists (deployments need an existing stack) and the organization name';
  if (status === 402) return "The organization's plan does not include this";
  return undefined;
}

/** The service's words from an RFC 6749 body ({error, error_description}), an API body ({code, message}) or text. */
export function serviceReason(body: unknown): string {
  if (typeof body === 'string') return body.trim().slice(0, 300);
  if (!body || typeof body !== 'object') return '';
  const b = body as Record<string, unknown>;
  const parts = [b.error, b.error_description, b.message].filter((p): p is string => typeof p === 'string' && p !== '');
  if (Array.isArray(b.errors)) {
    for (const e of b.errors) if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string') parts.push((e as { message: string }).message);
  }
  return parts.join(': ');
}

import type { components } from '../generated/pulumi-api.js';
import { HttpError, describeFailure, type JsonHttp, type JsonResponse } from './http.js';
import type * as AnswerSchemas from './schemas/deployments.js';
import type { AnswerCheck } from './schemas/check.js';
import type { UpdateInfo } from '../domain/outcome.js';
import type { StackRef } from '../domain/vocabulary.js';
import type { TokenType } from '../domain/names.js';
import { isName, isPlainId } from '../domain/names.js';
import { MAX_OUTPUTS_CHARS } from '../domain/stack-outputs.js';
import { DEFAULT_RETRY, POLLING_RETRY, httpFailureOf, retryDecision, withRetry, type RetryHooks, type RetryPolicy } from './retry.js';
import { sleep } from '../runner-io/clock.js';

type Schemas = components['schemas'];
export type TokenGrant = Schemas['TokenExchangeGrantResponse'];
export type CreatedDeployment = Schemas['CreateDeploymentResponse'];
export type Deployment = Schemas['GetDeploymentResponse'];
export type DeploymentLogsPage = Schemas['DeploymentLogs'];
export type DeploymentList = Schemas['ListDeploymentResponseV2'];
export type CurrentUser = Schemas['User'];
type SecretValue = Schemas['SecretValue'];
/** The spec models env values as SecretValue; the service and CLI send plain strings for non-secrets. */
type EnvValue = SecretValue | string;
type OperationContext = Omit<Schemas['OperationContextRequest'], 'environmentVariables' | 'operation'> & {
  environmentVariables?: Record<string, EnvValue>;
};
/** The body of the create request, as this client sends it. */
export type DeploymentRequestBody = Omit<Schemas['CreateDeploymentRequest'], 'operationContext'> & {
  operationContext?: OperationContext;
};
export type UpdateEventsPage = Schemas['GetUpdateEventsResponse'];
export type StackQueueState = Schemas['StackDeploymentsMetadataResponse'];
export type OrgQueueState = Schemas['OrgDeploymentsMetadataResponse'];
export type EngineEvent = Schemas['EngineEvent'];

/**
 * Longest string kept whole in an event page: a page of 8 MiB URNs then never holds one. The report
 * keeps short prefixes; the longest it uses whole is a stack output, and a longer string would
 * make the `outputs` step output exceed its own cap anyway.
 */
export const MAX_EVENT_STRING_CHARS = MAX_OUTPUTS_CHARS;

/** The update kinds whose engine events have an endpoint (`/{kind}/{updateID}/events`). */
export const EVENT_KINDS = ['preview', 'update', 'refresh', 'destroy'] as const;

export interface DeploymentRef extends StackRef {
  id: string;
}

/** Supplies the access token, refreshing it before it expires or after a 401. */
export interface TokenSource {
  current(): Promise<string>;
  /** `rejected`: the token a 401 refused (a source that has moved past it may answer the newer one). */
  refresh(reason: string, rejected?: string): Promise<string>;
}

export interface TokenExchangeRequest {
  organization: string;
  audience: string;
  tokenType: TokenType;
  scope?: string;
  expirationSeconds?: number;
}

/** A failed Pulumi Cloud call, said in one line with the service's own words and request id. Immutable. */
export class PulumiCloudError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly requestId?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PulumiCloudError';
  }
}

const ACCEPT = 'application/vnd.pulumi+8';
const KiB = 1024;
const MiB = 1024 * KiB;

/** How one call may be sent and read. */
interface CallOptions {
  request: 'idempotent' | 'create';
  policy?: RetryPolicy;
  signal?: AbortSignal;
  /** Largest answer this endpoint can reasonably give. */
  maxBytes: number;
  allowEmpty?: boolean;
  /** The spec's schema of the answer; a 2xx that does not match it is a failure of kind 'schema'. */
  schema?: keyof typeof AnswerSchemas;
  /** Longer JSON strings in the answer are cut as it arrives (RequestOptions.maxStringChars). */
  maxStringChars?: number;
}

/** The answer schemas load with the first call that needs one, never on the input-failure or login path. */
let answerSchemas: Promise<typeof AnswerSchemas> | undefined;
const loadAnswerSchemas = () => (answerSchemas ??= import('./schemas/deployments.js'));

/** The body as it came, once it matches its schema; otherwise an HttpError of kind 'schema' (retried like a malformed body). */
function checked<T>(response: JsonResponse<T>, check: AnswerCheck, label: string): T {
  const mismatch = check(response.body);
  if (mismatch) throw new HttpError(label, { kind: 'schema', status: response.status, requestId: response.requestId, ...mismatch });
  return response.body;
}

/** The only code that talks to Pulumi Cloud: headers, errors, retries and token refresh. */
export class PulumiCloudClient {
  private tokens?: TokenSource;
  /**
   * One backoff for every stack of the step (they share this client): after a 429, no new request
   * leaves before this time (epoch ms of the hooks' clock); a request's own retries keep their waits.
   */
  private pausedUntil = 0;

  constructor(
    readonly baseUrl: string,
    private readonly http: JsonHttp,
    private readonly hooks: Omit<RetryHooks, 'classify' | 'signal'> = {},
  ) {}

  useTokens(tokens: TokenSource): void {
    this.tokens = tokens;
  }

  /** RFC 8693 exchange; each attempt asks for a fresh ID token since ID tokens are short-lived. */
  async exchangeToken(request: TokenExchangeRequest, idToken: () => Promise<string>): Promise<TokenGrant> {
    return withRetry(
      async () => {
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
          // The answer's schema loads while the request is out.
          let schema: Promise<typeof import('./schemas/token.js')> | undefined;
          const response = await this.http.request<TokenGrant>(
            'POST',
            `${this.baseUrl}/api/oauth/token`,
            JSON.stringify(body),
            { 'Content-Type': 'application/json', Accept: 'application/json' },
            { maxBytes: 64 * KiB, onSent: () => void (schema = import('./schemas/token.js')) },
          );
          const { tokenGrant } = await (schema ?? import('./schemas/token.js'));
          return checked(response, tokenGrant, 'POST /api/oauth/token');
        } catch (error) {
          throw describe(error, 'Token exchange');
        }
      },
      DEFAULT_RETRY,
      // An answer off the schema came with a token already issued: asking again would issue another.
      { ...this.hooks, classify: (error) => (httpFailureOf(error)?.kind === 'schema' ? { retry: false, reason: 'a token was issued' } : retryDecision(error, 'idempotent')) },
    );
  }

  async createDeployment(stack: StackRef, body: DeploymentRequestBody, signal?: AbortSignal): Promise<CreatedDeployment> {
    return this.call('POST', `${stackPath(stack)}/deployments`, 'Creating the deployment', body, { request: 'create', signal, maxBytes: 64 * KiB });
  }

  /** The stack's deployments, newest first (post uses it to find one whose create answer never came). */
  async listDeployments(stack: StackRef, pageSize = 20, signal?: AbortSignal): Promise<DeploymentList> {
    return this.call('GET', `${stackPath(stack)}/deployments?pageSize=${pageSize}`, 'Listing the deployments', undefined, {
      request: 'idempotent',
      signal,
      maxBytes: 4 * MiB,
      schema: 'deploymentList',
    });
  }

  /** Who this token is (post matches it against a deployment's `requestedBy`). */
  async getCurrentUser(signal?: AbortSignal): Promise<CurrentUser> {
    return this.call('GET', '/api/user', 'Reading the current user', undefined, { request: 'idempotent', signal, maxBytes: 1 * MiB, schema: 'currentUser' });
  }

  async getDeployment(ref: DeploymentRef, signal?: AbortSignal): Promise<Deployment> {
    return this.call('GET', deploymentPath(ref), 'Reading the deployment', undefined, {
      request: 'idempotent',
      policy: POLLING_RETRY,
      signal,
      maxBytes: 1 * MiB,
      schema: 'deployment',
    });
  }

  async getDeploymentLogs(ref: DeploymentRef, continuationToken: string | undefined, signal?: AbortSignal): Promise<DeploymentLogsPage> {
    const query = continuationToken ? `?continuationToken=${encodeURIComponent(continuationToken)}` : '';
    return this.call('GET', `${deploymentPath(ref)}/logs${query}`, 'Reading the deployment logs', undefined, {
      request: 'idempotent',
      policy: POLLING_RETRY,
      signal,
      maxBytes: 16 * MiB,
      schema: 'logPage',
    });
  }

  async getDeploymentUpdates(ref: DeploymentRef, signal?: AbortSignal): Promise<UpdateInfo[]> {
    const updates = await this.call<UpdateInfo[] | null>('GET', `${deploymentPath(ref)}/updates`, 'Reading the deployment updates', undefined, {
      request: 'idempotent',
      signal,
      maxBytes: 4 * MiB,
      schema: 'updates',
    });
    return Array.isArray(updates) ? updates : [];
  }

  /** One page of an update's engine events; kind and id come from the service, so both are checked first. */
  async getUpdateEvents(stack: StackRef, kind: string, updateId: string, continuationToken: string | undefined, signal?: AbortSignal): Promise<UpdateEventsPage> {
    if (!(EVENT_KINDS as readonly string[]).includes(kind)) throw new Error(`Update kind '${kind.slice(0, 40)}' has no events endpoint`);
    if (typeof updateId !== 'string' || !isPlainId(updateId)) throw new Error('The service returned an update id that is not a plain id');
    const query = continuationToken ? `?continuationToken=${encodeURIComponent(continuationToken)}` : '';
    const path = `${stackPath(stack)}/${kind}/${updateId}/events${query}`;
    return this.call('GET', path, 'Reading the update events', undefined, {
      request: 'idempotent',
      signal,
      maxBytes: 32 * MiB,
      schema: 'eventPage',
      maxStringChars: MAX_EVENT_STRING_CHARS,
    });
  }

  /** Whether the stack's deployments, or its organization's, are paused (a queued deployment waits for a resume). */
  async getStackQueueState(stack: StackRef, signal?: AbortSignal): Promise<StackQueueState> {
    return this.call('GET', `${stackPath(stack)}/deployments/metadata`, "Reading the stack's deployment settings", undefined, {
      request: 'idempotent',
      signal,
      maxBytes: 64 * KiB,
      schema: 'stackQueueState',
    });
  }

  /** The organization's pause, concurrency limit and deployment counts by status. */
  async getOrgQueueState(organization: string, signal?: AbortSignal): Promise<OrgQueueState> {
    return this.call('GET', `/api/orgs/${segment(organization, 'the organization')}/deployments/metadata`, "Reading the organization's deployment settings", undefined, {
      request: 'idempotent',
      signal,
      maxBytes: 64 * KiB,
      schema: 'orgQueueState',
    });
  }

  async cancelDeployment(ref: DeploymentRef, policy: RetryPolicy = DEFAULT_RETRY, signal?: AbortSignal): Promise<void> {
    await this.call('POST', `${deploymentPath(ref)}/cancel`, 'Cancelling the deployment', undefined, {
      request: 'idempotent',
      policy,
      signal,
      maxBytes: 64 * KiB,
      allowEmpty: true,
    });
  }

  private async call<T>(method: string, path: string, what: string, body: unknown, options: CallOptions): Promise<T> {
    const tokens = this.tokens;
    if (!tokens) throw new Error('PulumiCloudClient used before login');
    const url = `${this.baseUrl}${path}`;
    const check = options.schema && (await loadAnswerSchemas())[options.schema];
    const send = async (token: string) => {
      const response = await this.http.request<T>(
        method,
        url,
        body === undefined ? undefined : JSON.stringify(body),
        { Authorization: `token ${token}`, Accept: ACCEPT, 'Content-Type': 'application/json' },
        { signal: options.signal, maxBytes: options.maxBytes, allowEmpty: options.allowEmpty, maxStringChars: options.maxStringChars },
      );
      return check ? checked(response, check, `${method} ${new URL(url).pathname}`) : response.body;
    };
    let refreshed = false;
    const now = this.hooks.now ?? Date.now;
    const policy = options.policy ?? DEFAULT_RETRY;
    return withRetry(
      async (attempt) => {
        const pauseMs = this.pausedUntil - now();
        if (attempt === 1 && pauseMs > 0) await (this.hooks.sleep ?? sleep)(pauseMs, options.signal);
        try {
          const token = await tokens.current();
          try {
            return await send(token);
          } catch (error) {
            // A 401 is refused before anything happens, so even a create may go once more with a new token.
            if (refreshed || httpFailureOf(error)?.kind !== 'status' || (httpFailureOf(error) as { status: number }).status !== 401) throw error;
            refreshed = true;
            return await send(await tokens.refresh('Pulumi Cloud answered 401', token));
          }
        } catch (error) {
          const failure = httpFailureOf(error);
          if (failure?.kind === 'status' && failure.status === 429) {
            this.pausedUntil = Math.max(this.pausedUntil, now() + Math.min(failure.retryAfterMs ?? policy.baseDelayMs, policy.maxRetryAfterMs));
          }
          throw describe(error, what);
        }
      },
      policy,
      { ...this.hooks, signal: options.signal, classify: (error) => retryDecision(error, options.request) },
    );
  }
}

/** A name (by the input rules) or an id (by the service's) for a URL path: never `.`, `..`, `/`, `%`. */
function segment(value: string, what: string, valid: (value: string) => boolean = isName): string {
  if (!valid(value)) throw new PulumiCloudError(`Refusing to use ${what} ${JSON.stringify(value.slice(0, 80))} in a request path: it is not a valid name or id`, undefined);
  return value;
}

function stackPath(stack: StackRef): string {
  return `/api/stacks/${segment(stack.organization, 'the organization')}/${segment(stack.project, 'the project')}/${segment(stack.stack, 'the stack')}`;
}

function deploymentPath(ref: DeploymentRef): string {
  return `${stackPath(ref)}/deployments/${segment(ref.id, 'the deployment id', isPlainId)}`;
}

/** Words for a failure: what failed, the service's own reason and request id, and what to do next. */
function describe(error: unknown, what: string): Error {
  if (error instanceof PulumiCloudError) return error;
  if (!(error instanceof HttpError)) return error instanceof Error ? error : new Error(String(error));
  const failure = error.failure;
  if (failure.kind === 'status') {
    const reason = serviceReason(failure.body);
    const id = failure.requestId ? ` (request id ${failure.requestId})` : '';
    const hint = nextStep(what, failure.status);
    return new PulumiCloudError(
      `${what} failed: Pulumi Cloud answered ${failure.status}${reason ? `: ${reason}` : ''}${id}${hint ? `. ${hint}` : ''}`,
      failure.status,
      failure.requestId,
      { cause: error },
    );
  }
  const status = 'status' in failure ? failure.status : undefined;
  const requestId = 'requestId' in failure ? failure.requestId : undefined;
  // An answer off the API's schema: the service's fault, said without the request line.
  const words = failure.kind === 'schema' ? `Pulumi Cloud ${describeFailure(failure)}` : error.message;
  return new PulumiCloudError(`${what} failed: ${words}`, status, requestId, { cause: error });
}

/** What to do next, for the failures users meet most. */
function nextStep(what: string, status: number): string | undefined {
  if (status === 403 && what === 'Token exchange')
    return "Check that the organization's OIDC issuer policy allows this repository's subject and the requested token type and scope";
  if (status === 403) return 'The token lacks permission for this stack: check requested-token-type, scope and the team or role';
  if (status === 404 && what === 'Creating the deployment') return 'Check that the stack exists (deployments need an existing stack) and the organization name';
  if (status === 402) return "The organization's plan does not include this";
  return undefined;
}

/** Longest piece of the service's words quoted in a message. */
const MAX_REASON_CHARS = 300;

/** The service's words from an RFC 6749 body ({error, error_description}), an API body ({code, message}) or text, cut short. */
export function serviceReason(body: unknown): string {
  const cut = (text: string) => (text.length > MAX_REASON_CHARS ? `${text.slice(0, MAX_REASON_CHARS)}… (${text.length - MAX_REASON_CHARS} more characters)` : text);
  if (typeof body === 'string') return cut(body.trim());
  if (!body || typeof body !== 'object') return '';
  const b = body as Record<string, unknown>;
  const parts = [b.error, b.error_description, b.message].filter((p): p is string => typeof p === 'string' && p !== '');
  if (Array.isArray(b.errors)) {
    for (const e of b.errors.slice(0, 5))
      if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string') parts.push((e as { message: string }).message);
  }
  return cut(parts.join(': '));
}

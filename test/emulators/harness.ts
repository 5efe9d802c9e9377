// Shared helpers for the emulator tests: start both emulators, call the Pulumi emulator and
// check every response against the OpenAPI contract.
import { expect } from 'vitest';
import type { GitHubEmulator, GitHubEmulatorOptions } from '../../emulators/github/server.mjs';
import type { PulumiCloudEmulator, PulumiCloudEmulatorOptions } from '../../emulators/pulumi-cloud/server.mjs';
import { startStandIns } from '../../emulators/stand-ins.mjs';
import { operationIdFor, validateResponse, validateRequest } from '../support/openapi-contract.js';

export interface Emulators {
  gh: GitHubEmulator;
  cloud: PulumiCloudEmulator;
  close(): Promise<void>;
}

export async function startEmulators(cloudOptions: Omit<PulumiCloudEmulatorOptions, 'issuer'> = {}, ghOptions: GitHubEmulatorOptions = {}): Promise<Emulators> {
  const standIns = await startStandIns({ cloud: cloudOptions, github: ghOptions });
  return { gh: standIns.github, cloud: standIns.cloud, close: standIns.close };
}

export interface CallResult {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

/**
 * Calls the Pulumi emulator; validates the request and the response against the spec and
 * checks the X-Pulumi-Request-ID header. `form` sends the body form-encoded.
 */
export async function call(
  cloud: PulumiCloudEmulator,
  method: string,
  path: string,
  { token, body, form = false, headers = {} }: { token?: string; body?: unknown; form?: boolean; headers?: Record<string, string> } = {},
): Promise<CallResult> {
  const operationId = operationIdFor(method, path);
  expect(operationId, `${method} ${path} maps to an operation`).toBeDefined();
  const h: Record<string, string> = { Accept: 'application/vnd.pulumi+8', ...headers };
  if (token) h.Authorization = `token ${token}`;
  let payload: string | undefined;
  if (body !== undefined) {
    if (form) {
      h['Content-Type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(body as Record<string, string>).toString();
    } else {
      h['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
  }
  const res = await fetch(`${cloud.url}${path}`, { method, headers: h, body: payload });
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : undefined;
  expect(res.headers.get('x-pulumi-request-id'), 'X-Pulumi-Request-ID').toMatch(/^[0-9a-f-]{36}$/);
  const contract = validateResponse(operationId!, res.status, parsed);
  expect(contract.errors, `${method} ${path} -> ${res.status} matches the spec`).toEqual([]);
  return { status: res.status, body: parsed, text, headers: res.headers };
}

/** Checks a request body against the spec (used for the requests the tests send). */
export function expectValidRequest(operationId: string, method: string, path: string, body?: unknown): void {
  expect(validateRequest(operationId, { method, path, body }).errors).toEqual([]);
}

export const TOKEN_EXCHANGE = {
  grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
  subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
};

/** Gets an ID token from the GitHub emulator the way @actions/core does. */
export async function fetchIdToken(gh: GitHubEmulator, audience: string): Promise<string> {
  const res = await fetch(`${gh.idTokenRequestUrl}&audience=${encodeURIComponent(audience)}`, {
    headers: { Authorization: `Bearer ${gh.idTokenRequestToken}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { value: string }).value;
}

export async function exchange(
  { gh, cloud }: Emulators,
  fields: Record<string, string | number> = {},
  { form = false, subjectToken, checkRequest = true }: { form?: boolean; subjectToken?: string; checkRequest?: boolean } = {},
): Promise<CallResult> {
  const audience = String(fields.audience ?? 'urn:pulumi:org:acme');
  const body = {
    ...TOKEN_EXCHANGE,
    audience,
    subject_token: subjectToken ?? (await fetchIdToken(gh, audience)),
    requested_token_type: 'urn:pulumi:token-type:access_token:organization',
    ...fields,
  };
  if (checkRequest) expectValidRequest('Token', 'POST', '/api/oauth/token', form ? new URLSearchParams(body as Record<string, string>).toString() : body);
  return call(cloud, 'POST', '/api/oauth/token', { body, form });
}

export async function accessToken(emulators: Emulators): Promise<string> {
  const res = await exchange(emulators, { scope: 'admin' });
  expect(res.status).toBe(200);
  return res.body.access_token as string;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for something the emulator observably did (a request recorded, a status set), never a fixed time. */
export async function until(what: string, done: () => boolean, limitMs = 10_000): Promise<void> {
  const limit = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > limit) throw new Error(`gave up waiting for ${what} after ${limitMs} ms`);
    await sleep(5);
  }
}

export const DEPLOYMENTS = '/api/stacks/acme/app/dev/deployments';

export async function createDeployment(cloud: PulumiCloudEmulator, token: string, body: unknown = { operation: 'update' }): Promise<CallResult> {
  expectValidRequest('CreateAPIDeploymentHandlerV2', 'POST', DEPLOYMENTS, body);
  return call(cloud, 'POST', DEPLOYMENTS, { token, body });
}

/** Follows the log stream to its end like the CLI (sleeping when the token is unchanged). */
export async function readAllLogs(cloud: PulumiCloudEmulator, token: string, id: string, { pollMs = 20 } = {}) {
  const lines: Array<{ header?: string; line?: string; timestamp: string }> = [];
  const tokens: Array<string | undefined> = [];
  let continuation: string | undefined;
  for (let i = 0; i < 10_000; i++) {
    const path = `${DEPLOYMENTS}/${id}/logs${continuation ? `?continuationToken=${encodeURIComponent(continuation)}` : ''}`;
    expectValidRequest('GetDeploymentLogs', 'GET', path);
    const res = await call(cloud, 'GET', path, { token });
    expect(res.status).toBe(200);
    lines.push(...res.body.lines);
    tokens.push(res.body.nextToken);
    if (!res.body.nextToken) return { lines, tokens, calls: i + 1 };
    if (res.body.nextToken === continuation) await sleep(pollMs);
    continuation = res.body.nextToken;
  }
  throw new Error('log stream did not end');
}

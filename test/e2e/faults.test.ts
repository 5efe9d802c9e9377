// The fault suite: each fault, end to end through dist/ and the runner emulator. Prints a table:
// whether the run ended as it should, lines lost and duplicated, requests made, time taken.
import { describe, expect, it } from 'vitest';
import { scenarios } from '../../emulators/pulumi-cloud/scenarios.mjs';
import type { FaultRule } from '../../emulators/pulumi-cloud/server.mjs';
import type { RunResult } from '../../emulators/runner/runner.mjs';
import { errorOf } from '../support/harness.js';
import { first, printFaultTable, runCase, withRequestId, type FaultCase } from '../support/fault-suite.js';

printFaultTable();

const everyEndpoint429 = (endpoints: string[]): FaultRule[] => endpoints.map((endpoint) => ({ endpoint, calls: [1], status: 429, headers: { 'Retry-After': '1' } }));

const SURVIVING: FaultCase[] = [
  {
    name: '500 burst on token exchange',
    cloudFaults: [{ endpoint: 'token', calls: first([1, 2]), status: 500, body: { error: 'server_error', error_description: 'try again' } }],
    survives: true,
    check: (_r, emu) => expect(emu.github.issuedIdTokens.length).toBe(3),
  },
  { name: '500 burst on logs', cloudFaults: [{ endpoint: 'logs', calls: [2, 3, 4], status: 500 }], survives: true },
  { name: '502 burst on get', cloudFaults: [{ endpoint: 'get', calls: [1, 2], status: 502 }], survives: true },
  { name: '429 + Retry-After on token, get, logs, updates', cloudFaults: everyEndpoint429(['token', 'get', 'logs', 'updates']), survives: true },
  { name: '429 + Retry-After on the ID token endpoint', githubFaults: everyEndpoint429(['idtoken']), survives: true },
  { name: 'connection reset mid log page', cloudFaults: [{ endpoint: 'logs', calls: [3], reset: 'mid-body' }], survives: true },
  { name: 'connection reset before the logs answer', cloudFaults: [{ endpoint: 'logs', calls: [2, 5], reset: 'before-response' }], survives: true },
  {
    name: 'truncated JSON on logs and get',
    cloudFaults: [
      { endpoint: 'logs', calls: [3], truncate: true },
      { endpoint: 'get', calls: [1], truncate: true },
    ],
    survives: true,
  },
  {
    name: '401 mid-stream (token revoked): refresh, resume',
    survives: true,
    onLine: (line, emu) => {
      if (line.startsWith('step 2 line 1 ')) emu.cloud.expireToken();
    },
    check: (run, emu) => {
      expect(emu.cloud.issuedTokens.length).toBe(2);
      expect(run.jobLog).toContain('Refreshing the Pulumi access token');
    },
  },
  {
    // Refreshed at 80% of a token's life, and never sooner than 5 s after the last exchange.
    name: '8 s tokens during an 18 s deployment',
    scenario: scenarios.longRunning(18_000, { lineEveryMs: 250 }),
    maxTokenLifetimeSeconds: 8,
    // Token lifetimes are real time: this case runs at real speed.
    timeScale: 1,
    survives: true,
    check: (_run, emu) => {
      expect(emu.cloud.issuedTokens.length).toBeGreaterThanOrEqual(3);
      expect(emu.cloud.requests.filter((r) => r.status === 401)).toHaveLength(0);
    },
  },
  {
    name: 'proxy in the path (HTTP_PROXY, CONNECT)',
    proxy: true,
    survives: true,
    check: (run) => {
      const proxied = (run as RunResult & { proxied: { target: string }[] }).proxied;
      expect(proxied.some((p) => p.target.includes('pulumi.localhost'))).toBe(true);
    },
  },
];

const FAILING: FaultCase[] = [
  {
    name: '403 on token exchange: fails at once',
    cloudFaults: [{ endpoint: 'token', status: 403, body: { error: 'access_denied', error_description: 'the policy does not allow this subject' } }],
    survives: false,
    check: (run, emu) => {
      expect(emu.cloud.requests.filter((r) => r.endpoint === 'token')).toHaveLength(1);
      expect(errorOf(run)).toMatch(
        withRequestId(
          'Token exchange failed: Pulumi Cloud answered 403: access_denied: the policy does not allow this subject',
          ". Check that the organization's OIDC issuer policy allows this repository's subject and the requested token type and scope",
        ),
      );
    },
  },
  {
    name: '403 on logs: fails at once, no retry',
    cloudFaults: [{ endpoint: 'logs', calls: [2], status: 403, body: { code: 403, message: 'Forbidden: no read access' } }],
    survives: false,
    check: (run, emu) => {
      expect(emu.cloud.requests.filter((r) => r.endpoint === 'logs')).toHaveLength(2);
      // main lost track of the run for its own reason: it points at it, and post leaves it be
      expect(run.jobLog).toMatch(/Warning: Deployment \S+ may still be running: http/);
      expect(emu.cloud.requests.filter((r) => r.endpoint === 'cancel')).toHaveLength(0);
      expect(errorOf(run)).toMatch(
        /^Reading the deployment logs failed: Pulumi Cloud answered 403: Forbidden: no read access \(request id [^)]+\)\. The token lacks permission for this stack: check requested-token-type, scope and the team or role$/,
      );
    },
  },
  {
    name: '429 on create: never blindly retried',
    cloudFaults: [{ endpoint: 'create', status: 429, headers: { 'Retry-After': '1' } }],
    survives: false,
    check: (run, emu) => {
      expect(emu.cloud.requests.filter((r) => r.endpoint === 'create')).toHaveLength(1);
      expect(errorOf(run)).toMatch(/^Creating the deployment failed: Pulumi Cloud answered 429/);
    },
  },
  {
    name: 'reset on create (may have reached the server): not retried',
    cloudFaults: [{ endpoint: 'create', reset: 'before-response' }],
    survives: false,
    check: (_run, emu) => expect(emu.cloud.requests.filter((r) => r.endpoint === 'create')).toHaveLength(1),
  },
  {
    name: 'token exchange 400 invalid_request',
    cloudFaults: [{ endpoint: 'token', status: 400, body: { error: 'invalid_request', error_description: 'audience is not valid' } }],
    survives: false,
    check: (run) => expect(errorOf(run)).toMatch(withRequestId('Token exchange failed: Pulumi Cloud answered 400: invalid_request: audience is not valid')),
  },
  {
    name: 'token exchange 401 invalid_token',
    cloudFaults: [{ endpoint: 'token', status: 401, body: { error: 'invalid_token', error_description: 'signature verification failed' } }],
    survives: false,
    check: (run) => expect(errorOf(run)).toMatch(withRequestId('Token exchange failed: Pulumi Cloud answered 401: invalid_token: signature verification failed')),
  },
  {
    name: 'token exchange 500 server_error on every attempt',
    cloudFaults: [{ endpoint: 'token', status: 500, body: { error: 'server_error', error_description: 'internal error' } }],
    survives: false,
    check: (run, emu) => {
      expect(emu.cloud.requests.filter((r) => r.endpoint === 'token')).toHaveLength(4);
      expect(errorOf(run)).toMatch(withRequestId('Token exchange failed: Pulumi Cloud answered 500: server_error: internal error'));
    },
  },
];

// Each case has its own emulators and processes: they run side by side.
describe.concurrent('fault suite (dist/ through the runner emulator)', () => {
  it.for([...SURVIVING, ...FAILING])('$name', async (c, { expect }) => {
    const { run, emu, row } = await runCase(c);
    expect(row.ok, `${row.fault}: exit ${row.exit}, lost ${row.lost}, duplicated ${row.duplicated}\n${run.jobLog.slice(-3000)}`).toBe(true);
    expect(errorOf(run)).not.toContain('undefined');
    c.check?.(run, emu);
  });
});

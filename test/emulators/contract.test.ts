// The contract helper itself: it must map paths to operations and reject wrong bodies,
// otherwise every "matches the spec" assertion elsewhere could pass vacuously.
import { describe, expect, it } from 'vitest';
import { operationIdFor, validateRequest, validateResponse } from '../support/openapi-contract.js';

const D = '/api/stacks/acme/app/dev/deployments';
const ID = '0b7e3f7e-4b1c-4a8e-9a51-1f2d3c4b5a69';
const userInfo = { name: 'acme', githubLogin: 'acme', avatarUrl: 'https://example.com/a.png' };
const goodDeployment = {
  id: ID,
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:01.000Z',
  status: 'running',
  version: 3,
  latestVersion: 3,
  requestedBy: userInfo,
  jobs: [{ status: 'running', started: '2026-01-01T00:00:00.500Z', steps: [{ name: 'Get source', status: 'running' }] }],
};
const goodUpdate = {
  info: {
    kind: 'update',
    message: '',
    environment: {},
    config: {},
    result: 'succeeded',
    startTime: 1,
    endTime: 2,
    version: 4,
    resourceChanges: { create: 1 },
  },
  updateID: ID,
  version: 4,
  latestVersion: 4,
  requestedBy: userInfo,
};

describe('operationIdFor', () => {
  it('maps concrete paths (with query strings) to operations', () => {
    expect(operationIdFor('POST', '/api/oauth/token')).toBe('Token');
    expect(operationIdFor('GET', '/api/user')).toBe('GetCurrentUser');
    expect(operationIdFor('POST', D)).toBe('CreateAPIDeploymentHandlerV2');
    expect(operationIdFor('GET', `${D}/${ID}`)).toBe('GetDeployment');
    expect(operationIdFor('get', `${D}/${ID}/logs?continuationToken=abc`)).toBe('GetDeploymentLogs');
    expect(operationIdFor('GET', `${D}/${ID}/updates`)).toBe('GetDeploymentUpdates');
    expect(operationIdFor('POST', `${D}/${ID}/cancel`)).toBe('CancelDeployment');
  });
  it('returns undefined for unknown paths and wrong methods', () => {
    expect(operationIdFor('GET', '/api/stacks/acme/app/dev')).toBeUndefined();
    expect(operationIdFor('DELETE', `${D}/${ID}`)).toBeUndefined();
    expect(operationIdFor('GET', `${D}/${ID}/cancel`)).toBeUndefined();
  });
});

describe('validateResponse', () => {
  it('accepts spec-conformant bodies', () => {
    expect(validateResponse('GetDeployment', 200, goodDeployment)).toEqual({ valid: true, errors: [] });
    expect(validateResponse('GetDeploymentUpdates', 200, [goodUpdate]).errors).toEqual([]);
    expect(
      validateResponse('GetDeploymentLogs', 200, { __type: 'DeploymentLogs', lines: [{ header: 'Get source', timestamp: '2026-01-01T00:00:00Z' }], nextToken: 'x' }).errors,
    ).toEqual([]);
    expect(validateResponse('CreateAPIDeploymentHandlerV2', 202, { id: ID, consoleUrl: 'http://x/acme/app/dev/deployments/1', version: 1 }).errors).toEqual([]);
    expect(validateResponse('CancelDeployment', 200, '').errors).toEqual([]);
    expect(validateResponse('GetDeployment', 404, { code: 404, message: 'not found' }).errors).toEqual([]);
    expect(validateResponse('Token', 401, { error: 'invalid_token', error_description: 'expired' }).errors).toEqual([]);
  });

  it('rejects a GetDeployment body with a missing field, a wrong enum and a wrong type', () => {
    const { status: _omit, ...noStatus } = goodDeployment;
    const r1 = validateResponse('GetDeployment', 200, noStatus);
    expect(r1.valid).toBe(false);
    expect(r1.errors.join('\n')).toMatch(/status/);
    expect(validateResponse('GetDeployment', 200, { ...goodDeployment, status: 'cancelled' }).valid).toBe(false);
    expect(validateResponse('GetDeployment', 200, { ...goodDeployment, version: '3' }).valid).toBe(false);
    expect(validateResponse('GetDeployment', 200, { ...goodDeployment, requestedBy: { name: 'x' } }).valid).toBe(false);
    const badStep = { ...goodDeployment, jobs: [{ status: 'running', steps: [{ name: 's', status: 'accepted' }] }] };
    expect(validateResponse('GetDeployment', 200, badStep).valid).toBe(false);
  });

  it('rejects logs without __type, with an unknown __type, or with bad lines', () => {
    expect(validateResponse('GetDeploymentLogs', 200, { lines: [] }).valid).toBe(false);
    expect(validateResponse('GetDeploymentLogs', 200, { __type: 'Logs', lines: [] }).valid).toBe(false);
    expect(validateResponse('GetDeploymentLogs', 200, { __type: 'DeploymentLogs', lines: [{ line: 1 }] }).valid).toBe(false);
    expect(validateResponse('GetDeploymentLogs', 200, { __type: 'DeploymentLogs', lines: [{ line: 'x', timestamp: 'yesterday' }] }).valid).toBe(false);
    // Step mode requires `lines`, per the mapped schema.
    expect(validateResponse('GetDeploymentLogs', 200, { __type: 'DeploymentLogsStep', name: 'x' }).valid).toBe(false);
  });

  it('rejects UpdateInfo without AppUpdateInfo required fields', () => {
    const { config: _c, ...info } = goodUpdate.info;
    expect(validateResponse('GetDeploymentUpdates', 200, [{ ...goodUpdate, info }]).valid).toBe(false);
    expect(validateResponse('GetDeploymentUpdates', 200, { ...goodUpdate }).valid).toBe(false);
  });

  it('rejects a token response without access_token, error bodies of the wrong shape and undocumented success statuses', () => {
    expect(validateResponse('Token', 200, { token_type: 'Bearer', expires_in: 1, issued_token_type: 'x', scope: '' }).valid).toBe(false);
    expect(validateResponse('Token', 400, { code: 400, message: 'bad' }).valid).toBe(false);
    expect(validateResponse('GetDeployment', 500, { error: 'server_error' }).valid).toBe(false);
    expect(validateResponse('GetDeployment', 201, goodDeployment).valid).toBe(false);
    expect(validateResponse('CancelDeployment', 200, { ok: true }).valid).toBe(false);
  });
});

describe('validateRequest', () => {
  it('allows plain strings and {secret} values for environment variables (narrow patch)', () => {
    const body = {
      operation: 'update',
      operationContext: { environmentVariables: { PLAIN: 'value', SECRET: { secret: 's3cr3t' } }, preRunCommands: ['echo hi'] },
      sourceContext: { git: { repoUrl: 'https://github.com/acme/app.git', branch: 'main', gitAuth: { accessToken: { secret: 'ghs_x' } } } },
    };
    expect(validateRequest('CreateAPIDeploymentHandlerV2', { method: 'POST', path: D, body })).toEqual({ valid: true, errors: [] });
  });

  it('keeps SecretValue strict everywhere else', () => {
    const plainAccessToken = { operation: 'update', sourceContext: { git: { gitAuth: { accessToken: 'ghs_x' } } } };
    expect(validateRequest('CreateAPIDeploymentHandlerV2', { method: 'POST', path: D, body: plainAccessToken }).valid).toBe(false);
    const numberEnv = { operation: 'update', operationContext: { environmentVariables: { N: 1 } } };
    expect(validateRequest('CreateAPIDeploymentHandlerV2', { method: 'POST', path: D, body: numberEnv }).valid).toBe(false);
    const emptyObjectEnv = { operation: 'update', operationContext: { environmentVariables: { N: {} } } };
    expect(validateRequest('CreateAPIDeploymentHandlerV2', { method: 'POST', path: D, body: emptyObjectEnv }).valid).toBe(false);
  });

  it('rejects a bad operation, wrong method, wrong path, unknown query parameters and unexpected bodies', () => {
    expect(validateRequest('CreateAPIDeploymentHandlerV2', { method: 'POST', path: D, body: { operation: 'deploy' } }).valid).toBe(false);
    expect(validateRequest('CreateAPIDeploymentHandlerV2', { method: 'PUT', path: D, body: { operation: 'update' } }).valid).toBe(false);
    expect(validateRequest('GetDeployment', { method: 'GET', path: D }).valid).toBe(false);
    expect(validateRequest('GetDeploymentLogs', { method: 'GET', path: `${D}/${ID}/logs?continuation_token=x` }).valid).toBe(false);
    expect(validateRequest('GetDeploymentLogs', { method: 'GET', path: `${D}/${ID}/logs?count=abc` }).valid).toBe(false);
    expect(validateRequest('GetDeploymentLogs', { method: 'GET', path: `${D}/${ID}/logs?continuationToken=x` }).valid).toBe(true);
    expect(validateRequest('GetDeployment', { method: 'GET', path: `${D}/${ID}`, body: { x: 1 } }).valid).toBe(false);
    expect(validateRequest('CreateAPIDeploymentHandlerV2', { method: 'POST', path: D }).valid).toBe(false);
  });

  it('validates token requests (JSON and form-encoded)', () => {
    const fields = {
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      audience: 'urn:pulumi:org:acme',
      subject_token: 'jwt',
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      requested_token_type: 'urn:pulumi:token-type:access_token:team',
      scope: 'team:ops',
      expiration: 3600,
    };
    expect(validateRequest('Token', { method: 'POST', path: '/api/oauth/token', body: fields }).errors).toEqual([]);
    const form = new URLSearchParams({ ...fields, expiration: '3600' }).toString();
    expect(validateRequest('Token', { method: 'POST', path: '/api/oauth/token', body: form }).errors).toEqual([]);
    expect(validateRequest('Token', { method: 'POST', path: '/api/oauth/token', body: { ...fields, subjectToken: 'x' } }).valid).toBe(false);
    expect(validateRequest('Token', { method: 'POST', path: '/api/oauth/token', body: { ...fields, expiration: -5 } }).valid).toBe(false);
  });

  it('throws for an unknown operationId', () => {
    expect(() => validateResponse('Nope', 200, {})).toThrow(/unknown operationId/);
  });
});

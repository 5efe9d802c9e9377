import { describe, expect, it } from 'vitest';
import { contractViolations } from '../support/harness.js';
import type { RecordedRequest } from '../../emulators/lib/http.mjs';

const record = (over: Partial<RecordedRequest>): RecordedRequest => ({
  method: 'POST',
  path: '/api/stacks/acme/app/dev/deployments',
  query: {},
  headers: {},
  body: { operation: 'update' },
  rawBody: '',
  at: 0,
  endpoint: 'create',
  status: 202,
  call: 1,
  responseBody: { id: 'd-1', consoleUrl: 'https://app.pulumi.com/acme/app/dev/deployments/1', version: 1 },
  ...over,
});

// The end-to-end harness runs this on every request of every run; prove it can fail.
describe('contractViolations', () => {
  it('accepts a well-formed create and its response', () => {
    expect(contractViolations([record({})])).toEqual([]);
  });
  it('flags a request body the spec rejects', () => {
    const [problem] = contractViolations([record({ body: { operation: 'deploy' } })]);
    expect(problem).toMatch(/^POST \/api\/stacks\/acme\/app\/dev\/deployments request: /);
  });
  it('flags a response missing a required field', () => {
    const [problem] = contractViolations([record({ responseBody: { id: 'd-1', version: 1 } })]);
    expect(problem).toMatch(/response 202: .*consoleUrl/);
  });
  it('flags a logs response without its __type discriminator', () => {
    const [problem] = contractViolations([
      record({ method: 'GET', path: '/api/stacks/acme/app/dev/deployments/d-1/logs', endpoint: 'logs', body: undefined, status: 200, responseBody: { lines: [] } }),
    ]);
    expect(problem).toMatch(/response 200/);
  });
  it('flags a path that is not in the spec', () => {
    expect(contractViolations([record({ path: '/api/stacks/acme/app/dev/deployment' })])).toEqual(['POST /api/stacks/acme/app/dev/deployment: not an operation of the spec']);
  });
});

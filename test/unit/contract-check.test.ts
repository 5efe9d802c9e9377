import { describe, expect, it } from 'vitest';
import { contractViolations } from '../support/harness.js';
import { githubContractViolations } from '../support/github-contract.js';
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

const githubRecord = (over: Partial<RecordedRequest>): RecordedRequest => ({
  method: 'POST',
  path: '/repos/acme/infra/deployments',
  query: {},
  headers: {},
  body: { ref: 'a'.repeat(40), environment: 'production', auto_merge: false, required_contexts: [] },
  rawBody: '',
  at: 0,
  endpoint: 'deployments',
  status: 403,
  call: 1,
  responseBody: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest', status: '403' },
  ...over,
});

// The end-to-end harness runs this on every GitHub request of every run too.
describe('githubContractViolations', () => {
  it("takes GitHub's 403 and 404 in its basic-error shape on any operation", () => {
    expect(
      githubContractViolations([
        githubRecord({}),
        githubRecord({ status: 404, responseBody: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' } }),
      ]),
    ).toEqual([]);
  });
  it('flags an error body of another shape, an undocumented status and a request body GitHub rejects', () => {
    expect(githubContractViolations([githubRecord({ responseBody: { error: 'forbidden' } })])).toEqual([
      expect.stringMatching(/^POST \/repos\/acme\/infra\/deployments response 403: .*message/),
    ]);
    expect(githubContractViolations([githubRecord({ status: 418 })])).toEqual(['POST /repos/acme/infra/deployments: GitHub never answers 418']);
    expect(githubContractViolations([githubRecord({ body: { environment: 'production' } })])[0]).toMatch(/request: .*ref/);
  });
});

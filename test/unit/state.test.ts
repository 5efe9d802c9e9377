import { describe, expect, it } from 'vitest';
import { PostStateWriter, postShouldCancel, readPostState, type DeploymentState } from '../../src/runner-io/state.js';

const stack = { organization: 'acme', project: 'app', stack: 'dev' };
const login = { organization: 'acme', tokenType: 'organization' as const, cloudUrl: 'https://api.pulumi.com', audience: 'urn:pulumi:org:acme', logout: true };

/** A GITHUB_STATE stand-in: the last value written for a key wins, as on the runner. */
function stateFile() {
  const values = new Map<string, string>();
  let bytes = 0;
  return {
    save: (name: string, value: string) => {
      values.set(name, value);
      bytes += name.length + value.length;
    },
    get: (name: string) => values.get(name) ?? '',
    set: (name: string, value: string) => values.set(name, value),
    bytes: () => bytes,
  };
}

describe('PostStateWriter -> readPostState', () => {
  it('hands post every stage of the deployment, and post reads it back checked', () => {
    const file = stateFile();
    const state = new PostStateWriter(file.save);
    state.login(login);
    const writer = state.deployment();
    writer.createSending({ stack, operation: 'update', cancelOnTimeout: true, cancelOnJobCancel: false }, 1_700_000_000_000);
    expect(readPostState(file.get).deployments).toEqual([{ stack, operation: 'update', cancelOnTimeout: true, cancelOnJobCancel: false, createSentAt: 1_700_000_000_000 }]);
    writer.created({ ref: { ...stack, id: 'b4f1c7de-0000-4000-8000-000000000001' }, consoleUrl: 'https://app.pulumi.com/acme/app/dev/deployments/3', version: 3 });
    writer.stopped('job-cancelled');
    writer.settle('left-running-on-purpose');
    const read = readPostState(file.get);
    expect(read.problems).toEqual([]);
    expect(read.login).toEqual(login);
    expect(read.deployments).toHaveLength(1);
    expect(read.deployments[0]).toMatchObject({
      run: { ref: { id: 'b4f1c7de-0000-4000-8000-000000000001' }, version: 3 },
      stoppedBy: 'job-cancelled',
      settled: 'left-running-on-purpose',
    });
  });

  it.each([
    ['a cloud-url that is http to a remote host', 'login', { ...login, cloudUrl: 'http://evil.example' }],
    ['an organization of ..', 'login', { ...login, organization: '..' }],
    ['a token type that is not one', 'login', { ...login, tokenType: 'root' }],
    ['logout that is not a boolean', 'login', { ...login, logout: 'yes' }],
    [
      'a deployment id of ..',
      'deployment',
      { stack, operation: 'update', cancelOnTimeout: true, cancelOnJobCancel: true, run: { ref: { ...stack, id: '..' }, consoleUrl: '', version: 1 } },
    ],
    [
      'a deployment id with a slash',
      'deployment',
      { stack, operation: 'update', cancelOnTimeout: true, cancelOnJobCancel: true, run: { ref: { ...stack, id: 'a/../b' }, consoleUrl: '', version: 1 } },
    ],
    [
      'a run of another stack',
      'deployment',
      { stack, operation: 'update', cancelOnTimeout: true, cancelOnJobCancel: true, run: { ref: { ...stack, stack: 'prod', id: 'x1' }, consoleUrl: '', version: 1 } },
    ],
    ['a stack part of ..', 'deployment', { stack: { ...stack, project: '..' }, operation: 'update', cancelOnTimeout: true, cancelOnJobCancel: true }],
    ['an unknown settled value', 'deployment', { stack, operation: 'update', cancelOnTimeout: true, cancelOnJobCancel: true, settled: 'whatever' }],
    ['an operation that is not one', 'deployment', { stack, operation: 'rm -rf', cancelOnTimeout: true, cancelOnJobCancel: true }],
  ])('drops a record with %s, saying why', (_, key, value) => {
    const file = stateFile();
    file.set(key, JSON.stringify(value));
    const read = readPostState(file.get);
    expect(key === 'login' ? read.login : read.deployments[0]).toBeUndefined();
    expect(read.problems).toHaveLength(1);
    expect(read.problems[0]).toMatch(new RegExp(`^${key}: `));
  });

  it('drops state that is not JSON, and token hashes that are not SHA-256', () => {
    const file = stateFile();
    file.set('login', '{nope');
    file.set('token-sha256', `${'a'.repeat(64)},../../etc,${'b'.repeat(63)}`);
    const read = readPostState(file.get);
    expect(read.login).toBeUndefined();
    expect(read.tokenHashes).toEqual(['a'.repeat(64)]);
    expect(read.problems).toEqual(['login: not JSON']);
  });
});

describe('post state: one record per deployment', () => {
  it('keeps each stack under its own key, reads them back in order, and drops only a bad one', () => {
    const file = stateFile();
    const state = new PostStateWriter(file.save);
    const stacks = ['dev', 'staging', 'prod'].map((name) => ({ ...stack, stack: name }));
    for (const [i, s] of stacks.entries()) state.deployment().createSending({ stack: s, operation: 'update', cancelOnTimeout: true, cancelOnJobCancel: true }, i + 1);
    expect(readPostState(file.get).deployments.map((d) => d.stack.stack)).toEqual(['dev', 'staging', 'prod']);
    file.set('deployment-1', JSON.stringify({ stack: { ...stack, stack: '..' }, operation: 'update', cancelOnTimeout: true, cancelOnJobCancel: true }));
    const read = readPostState(file.get);
    expect(read.deployments.map((d) => d.stack.stack)).toEqual(['dev', 'prod']);
    expect(read.problems).toHaveLength(1);
    expect(read.problems[0]).toMatch(/^deployment-1: /);
  });
  it('a stack that stopped before writing leaves no gap: post still reads every later one', () => {
    const file = stateFile();
    const state = new PostStateWriter(file.save);
    state.deployment(); // its list call failed: nothing written
    state.deployment().createSending({ stack: { ...stack, stack: 'staging' }, operation: 'update', cancelOnTimeout: true, cancelOnJobCancel: true }, 1);
    state.deployment().createSending({ stack: { ...stack, stack: 'prod' }, operation: 'update', cancelOnTimeout: true, cancelOnJobCancel: true }, 2);
    expect(readPostState(file.get).deployments.map((d) => d.stack.stack)).toEqual(['staging', 'prod']);
  });
});

describe("the stack's newest version before the create", () => {
  it('reaches post as written; anything but a non-negative safe integer drops the record', () => {
    const file = stateFile();
    new PostStateWriter(file.save).deployment().createSending({ stack, operation: 'update', cancelOnTimeout: true, cancelOnJobCancel: true, newestVersionBefore: 41 }, 1);
    expect(readPostState(file.get).deployments[0]?.newestVersionBefore).toBe(41);
    for (const bad of ['41', -1, 1.5, 2 ** 60, null]) {
      file.set('deployment', JSON.stringify({ stack, operation: 'update', cancelOnTimeout: true, cancelOnJobCancel: true, createSentAt: 1, newestVersionBefore: bad }));
      const read = readPostState(file.get);
      expect(read.deployments).toEqual([]);
      expect(read.problems).toEqual(['deployment: newestVersionBefore is not a version']);
    }
  });
});

describe('postShouldCancel: the user choices hold in post too', () => {
  const base: DeploymentState = {
    stack,
    operation: 'update',
    cancelOnTimeout: true,
    cancelOnJobCancel: true,
    createSentAt: 1,
    run: { ref: { ...stack, id: 'x' }, consoleUrl: '', version: 1 },
  };
  it.each<[string, Partial<DeploymentState>, boolean]>([
    ['killed during a run (unsettled, cause unknown): the job-cancel choice', {}, true],
    ['killed, cancel-on-job-cancel false', { cancelOnJobCancel: false }, false],
    ['stopped by the timeout, not yet cancelled', { stoppedBy: 'timeout' }, true],
    ['stopped by the timeout, cancel-on-timeout false', { stoppedBy: 'timeout', cancelOnTimeout: false }, false],
    ['stopped by the timeout, cancel-on-timeout false, cancel-on-job-cancel true', { stoppedBy: 'timeout', cancelOnTimeout: false, cancelOnJobCancel: true }, false],
    ['job cancelled, cancel-on-job-cancel false, cancel-on-timeout true', { stoppedBy: 'job-cancelled', cancelOnJobCancel: false, cancelOnTimeout: true }, false],
    ['job cancelled and the cancel failed', { stoppedBy: 'job-cancelled' }, true],
    ['left running on purpose', { settled: 'left-running-on-purpose' }, false],
    ['finished', { settled: 'finished' }, false],
    ['cancel already requested', { settled: 'cancel-requested' }, false],
    ['main lost track for its own reason', { settled: 'lost-track' }, false],
    ['create answer never came (no run)', { run: undefined }, true],
    ['create answer never came, cancel-on-job-cancel false', { run: undefined, cancelOnJobCancel: false }, false],
    ['nothing was ever sent', { run: undefined, createSentAt: undefined }, false],
  ])('%s -> %s', (_, overrides, expected) => {
    expect(postShouldCancel({ ...base, ...overrides })).toBe(expected);
  });
  it('no deployment -> false', () => expect(postShouldCancel(undefined)).toBe(false));
});

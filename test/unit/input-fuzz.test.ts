import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { load } from 'js-yaml';
import { parseInputs } from '../../src/inputs/parse.js';
import { secretValues } from '../../src/inputs/table.js';
import { buildDeploymentRequest } from '../../src/deployment/request.js';
import { InputError, InputErrors } from '../../src/domain/input-error.js';
import { validateRequest } from '../support/openapi-contract.js';
import type { GitHubContext } from '../../src/runner-io/github-context.js';

const manifest = load(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as { inputs: Record<string, { default?: string }> };
const INPUTS = Object.keys(manifest.inputs);
const SECRET = 'S3CRET_fuzz_0xq';

/** Pieces an attacker would try: runner commands, line breaks, separators, traversal, credentials, YAML words. */
const PIECES = [
  '::add-mask::x',
  '::stop-commands::t',
  '##[error]x',
  '##[stop-commands]t',
  '\r',
  '\n',
  '\r\n',
  '\u2028',
  '\u2029',
  '\u0085',
  '\u0000',
  '\u001b[31m',
  '\u202e',
  '..',
  '.',
  '/',
  '%2e%2e',
  '?',
  '#',
  '=',
  ' ',
  '\t',
  'yes',
  'null',
  '~',
  '-1',
  '0',
  '3600',
  '1h',
  'true',
  'TRUE',
  '名前🙂',
  '$(rm -rf /)',
  `https://bob:${SECRET}@github.com/acme/x.git`,
  `${SECRET}@`,
  'acme',
  'app/dev',
  'update',
  'team:x',
];
// Path-shaped: stack references built of names, dots and escapes.
const pathShaped = fc.array(fc.constantFrom('acme', 'app', 'dev', '..', '.', '%2e%2e', '', ' '), { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));
const hostile = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { maxLength: 6 }).map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 40 }),
  pathShaped,
  fc.constantFrom('', '   ', 'x'.repeat(100_000), `${'a/'.repeat(5000)}b`),
);

const context: GitHubContext = {
  serverUrl: 'https://github.com',
  apiUrl: 'https://api.github.com',
  repository: 'acme/infra',
  sha: 'a'.repeat(40),
  ref: 'refs/heads/main',
  eventName: 'push',
  runId: '1',
  runAttempt: '1',
  fromFork: false,
};
const base: Record<string, string> = { organization: 'acme', stack: 'app/dev', operation: 'update' };
// The runner fills action.yml defaults in; `${{ github.token }}` becomes a token.
const defaultOf = (name: string) => manifest.inputs[name]?.default?.replace('${{ github.token }}', 'ghs_x') ?? '';

const SECRET_INPUTS = new Set(['git-auth-token', 'git-ssh-private-key', 'git-ssh-password', 'git-password', 'executor-image-password', 'github-token', 'secret-env']);

/**
 * What no error message may show: secret input values and the userinfo of URL inputs (8+
 * characters, so a short value is not found by chance), unless the same text is also in a
 * plain input, which may be quoted.
 */
function mustStayHidden(inputs: Record<string, string>, read: (name: string) => string): string[] {
  const candidates = [...secretValues(read)];
  for (const name of ['repo-url', 'cloud-url']) {
    const match = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)@/.exec(read(name).trim());
    if (match) candidates.push(match[1]!);
  }
  const plain = Object.entries(inputs)
    .filter(([name]) => !SECRET_INPUTS.has(name) && name !== 'repo-url' && name !== 'cloud-url')
    .map(([, value]) => value);
  return candidates.filter((value) => value.length >= 8 && !plain.some((text) => text.includes(value)));
}

/** One draw: some inputs set to hostile values over a valid deployment, the rest at their defaults. */
const draws: fc.Arbitrary<Record<string, string>> = fc.oneof(
  fc.dictionary(fc.constantFrom(...INPUTS), hostile, { maxKeys: 6 }),
  // The names that form the request path, alone, so the rest of the inputs stays valid.
  fc.record({ organization: fc.constantFrom('acme', '.', '..'), stack: pathShaped }, { requiredKeys: ['stack'] }),
);

describe('every input with hostile values (property)', () => {
  it('gives InputErrors naming real inputs on clean lines, or a request the spec accepts on a path it cannot change', () => {
    fc.assert(
      fc.property(draws, (drawn) => {
        const inputs: Record<string, string> = { ...base, ...drawn };
        const read = (name: string) => inputs[name] ?? defaultOf(name);
        expect(() => secretValues(read)).not.toThrow();
        let config;
        try {
          config = parseInputs(read);
        } catch (error) {
          expect(error).toBeInstanceOf(InputErrors);
          const { errors } = error as InputErrors;
          expect(errors.length).toBeGreaterThan(0);
          const hidden = mustStayHidden(inputs, read);
          for (const problem of errors) {
            expect(problem).toBeInstanceOf(InputError);
            expect(INPUTS).toContain(problem.input);
            expect(problem.message).not.toMatch(/[\r\n\u0085\u2028\u2029]|##\[|undefined/);
            for (const value of hidden) expect(problem.message).not.toContain(value);
            expect(problem.message.length).toBeLessThan(400);
          }
          return;
        }
        expect(config.login.cloudUrl).toMatch(/^https?:\/\//);
        if (!config.deployment) return;
        const body = buildDeploymentRequest(config.deployment, context);
        expect(JSON.stringify(body.sourceContext?.git?.repoUrl ?? '')).not.toContain(SECRET);
        const { organization, project, stack } = config.deployment.stack;
        const path = `/api/stacks/${organization}/${project}/${stack}/deployments`;
        // The names are used as they are: no value may add, remove or escape a path segment.
        expect(new URL(path, 'http://x').pathname).toBe(path);
        const result = validateRequest('CreateAPIDeploymentHandlerV2', { method: 'POST', path, body });
        expect(result.errors).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('draws reach both outcomes (a property that never parses would test nothing)', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(draws, (drawn) => {
        try {
          const inputs: Record<string, string> = { ...base, ...drawn };
          parseInputs((name) => inputs[name] ?? defaultOf(name));
          accepted++;
        } catch {
          refused++;
        }
      }),
      { numRuns: 200, seed: 1 },
    );
    expect(accepted).toBeGreaterThan(10);
    expect(refused).toBeGreaterThan(10);
  });
});

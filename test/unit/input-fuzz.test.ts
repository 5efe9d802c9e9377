import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { parseInputs, secretValues } from '../../src/inputs.js';
import { buildDeploymentRequest } from '../../src/deployment-request.js';
import { InputError } from '../../src/errors.js';
import { validateRequest } from '../support/openapi-contract.js';
import type { GitHubContext } from '../../src/github-context.js';

const manifest = load(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as { inputs: Record<string, { default?: string }> };
const INPUTS = Object.keys(manifest.inputs);

/** Hostile values: empty, blank, huge, unicode, newlines, '=' and quotes, NUL, YAML-ish words. */
const HOSTILE = [
  '',
  '   \t ',
  'x'.repeat(100_000),
  '名前=値🙂',
  'a\nb\r\nc',
  'A="quoted=value" \'single\'',
  'nul\u0000byte',
  'yes',
  '~',
  'null',
  '[a, b]',
  '{a: 1}',
  '-1',
  '1e309',
  '../../etc/passwd',
  '$(rm -rf /)',
  '::add-mask::x',
  '\u202eRTL',
];

const context: GitHubContext = { serverUrl: 'https://github.com', apiUrl: 'https://api.github.com', repository: 'acme/infra', sha: 'a'.repeat(40), ref: 'refs/heads/main', eventName: 'push', runId: '1', runAttempt: '1' };
const base: Record<string, string> = { organization: 'acme', stack: 'app/dev', operation: 'update' };

describe('every input with hostile values', () => {
  const cases = INPUTS.flatMap((input) => HOSTILE.map((value) => [input, value] as const));
  it(`covers ${INPUTS.length} inputs x ${HOSTILE.length} values`, () => expect(cases.length).toBeGreaterThan(1000));

  it.each(cases)('%s = %j: an InputError naming an input, or a request the spec accepts', (input, value) => {
    const inputs = { ...base, [input]: value };
    const read = (name: string) => inputs[name] ?? manifest.inputs[name]?.default?.replace('${{ github.token }}', 'ghs_x') ?? '';
    expect(() => secretValues(read)).not.toThrow();
    let config;
    try {
      config = parseInputs(read);
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect(INPUTS).toContain((error as InputError).input);
      expect((error as Error).message).not.toMatch(/\n|undefined/);
      expect((error as Error).message.length).toBeLessThan(400);
      return;
    }
    if (!config.deployment) return;
    const body = buildDeploymentRequest(config.deployment, context);
    const result = validateRequest('CreateAPIDeploymentHandlerV2', { method: 'POST', path: '/api/stacks/acme/app/dev/deployments', body });
    expect(result.errors).toEqual([]);
  });
});

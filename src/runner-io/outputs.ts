// The only way the action sets a step output or exports a variable. Workflows paste outputs into
// `run:` scripts, so each value is built from allow-listed parts: a value that does not fit its
// kind becomes '' (or fails, for the token), never text of the service's choosing.
import * as core from '@actions/core';
import { safeUrl } from './untrusted-text.js';
import { isPlainId } from '../domain/names.js';

export type OutputName =
  | 'pulumi-access-token'
  | 'token-expires-at'
  | 'deployment-id'
  | 'deployment-url'
  | 'deployment-version'
  | 'deployment-status'
  | 'update-url'
  | 'has-changes'
  | 'resource-changes'
  | 'outputs'
  | 'results';

export type OutputValue =
  /** A link on `origin` (see safeUrl); anything else is ''. */
  | { kind: 'url'; value: unknown; origin: string | undefined }
  /** A service id that passes isPlainId. */
  | { kind: 'id'; value: unknown }
  /** A non-negative safe integer. */
  | { kind: 'integer'; value: unknown }
  /** One of the words the action itself defines. */
  | { kind: 'enum'; value: string; allowed: readonly string[] }
  | { kind: 'time'; value: Date }
  /** JSON the action built or the user asked for: it always parses, or the output is ''. */
  | { kind: 'json'; text: string }
  /** A credential: one word of token characters, or the step fails. */
  | { kind: 'token'; value: string };

const TOKEN = /^[A-Za-z0-9._~+/=-]{1,4096}$/;
const SHELL_UNSAFE = /[^A-Za-z0-9\-._~/:%?=+,@]/g;
const percentEncode = (c: string) => [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');

/** The text an output gets: '' when the value does not fit its kind. */
export function outputText(output: OutputValue): string {
  switch (output.kind) {
    case 'url': {
      // Past safeUrl, any character a shell acts on ($ ; & * ! # ...) is percent-encoded too.
      const url = ((output.origin !== undefined && safeUrl(output.value, output.origin)) || '').replace(SHELL_UNSAFE, percentEncode);
      // safeUrl adds the root path's '/': a bare origin keeps its own spelling.
      return url === `${String(output.value)}/` ? String(output.value) : url;
    }
    case 'id':
      return isPlainId(output.value) ? output.value : '';
    case 'integer':
      return Number.isSafeInteger(output.value) && (output.value as number) >= 0 ? String(output.value) : '';
    case 'enum':
      return output.allowed.includes(output.value) ? output.value : '';
    case 'time':
      return Number.isNaN(output.value.getTime()) ? '' : output.value.toISOString();
    case 'json':
      return parses(output.text) ? output.text : '';
    case 'token':
      if (!TOKEN.test(output.value)) throw new Error('the service issued an access token with characters a token cannot have; not publishing it');
      return output.value;
  }
}

export function setOutput(name: OutputName, output: OutputValue): void {
  core.setOutput(name, outputText(output));
}

export type ExportedName = 'PULUMI_BACKEND_URL' | 'PULUMI_ACCESS_TOKEN';

export function exportVariable(name: ExportedName, output: OutputValue): void {
  core.exportVariable(name, outputText(output));
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

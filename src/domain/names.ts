// Pure validators for values that reach a URL, a request or the log. The inputs use them, and
// the post step checks what it reads back from the state by the same rules.
import { InputError } from './input-error.js';
import type { StackRef } from './vocabulary.js';
import { quote, redactUserinfo } from './input-error.js';

export type TokenType = 'organization' | 'team' | 'personal' | 'runner';

export const DEFAULT_CLOUD_URL = 'https://api.pulumi.com';
export const TOKEN_TYPE_URN = 'urn:pulumi:token-type:access_token:';
export const TOKEN_TYPES: TokenType[] = ['organization', 'team', 'personal', 'runner'];

// One path segment of the service's names: `.` and `..` alone would change the request path.
const NAME = /^[A-Za-z0-9_.-]{1,100}$/;
export const NAME_RULE = 'up to 100 letters, digits, "-", "_" and "." (not "." or ".." alone)';
export const isName = (value: string): boolean => NAME.test(value) && value !== '.' && value !== '..';

export function validateOrganization(raw: string): string {
  if (!isName(raw)) throw new InputError('organization', `${quote(raw)} is not an organization name`, `Use ${NAME_RULE}`);
  return raw;
}

/** A project or stack name (one segment of `org/project/stack`). */
export function validateStackPart(part: 'project' | 'stack', raw: string, input = 'stack'): string {
  if (!isName(raw)) throw new InputError(input, `${quote(raw)} is not a ${part} name`, `Use ${NAME_RULE}`);
  return raw;
}

/** Checks the three parts of a stack reference read back from the state. */
export function validateStackRef(ref: StackRef): StackRef {
  return {
    organization: validateOrganization(ref.organization),
    project: validateStackPart('project', ref.project),
    stack: validateStackPart('stack', ref.stack),
  };
}

export function validateTokenType(raw: string): TokenType {
  const short = raw.startsWith(TOKEN_TYPE_URN) ? raw.slice(TOKEN_TYPE_URN.length) : raw;
  if ((TOKEN_TYPES as string[]).includes(short)) return short as TokenType;
  throw new InputError('requested-token-type', `${quote(raw)} is not a token type`, `Use one of ${TOKEN_TYPES.join(', ')}, or ${TOKEN_TYPE_URN}<type>`);
}

// A scope name: no whitespace, no ':' and no control characters.
const SCOPE_NAME = '[^\\s:\\u0000-\\u001f\\u007f-\\u009f]+';
const SCOPE_RULES: Record<TokenType, { pattern: RegExp; form: string; required: boolean }> = {
  organization: { pattern: /^admin$/, form: "empty or 'admin'", required: false },
  team: { pattern: new RegExp(`^team:${SCOPE_NAME}$`), form: "'team:NAME'", required: true },
  personal: { pattern: new RegExp(`^user:${SCOPE_NAME}$`), form: "'user:LOGIN'", required: true },
  runner: { pattern: new RegExp(`^runner:${SCOPE_NAME}$`), form: "'runner:NAME'", required: true },
};

/** The scope that fits the token type; `undefined` for an empty scope where none is needed. */
export function validateScope(tokenType: TokenType, scope: string | undefined): string | undefined {
  const rule = SCOPE_RULES[tokenType];
  if (!scope) {
    if (rule.required) throw new InputError('scope', `is required for requested-token-type '${tokenType}'`, `Use ${rule.form}`);
    return undefined;
  }
  if (!rule.pattern.test(scope)) throw new InputError('scope', `${quote(scope)} does not fit requested-token-type '${tokenType}'`, `Use ${rule.form}`);
  return scope;
}

/** Printable ASCII, no spaces: it goes into the ID-token request URL, the exchange and the log. */
export function validateAudience(raw: string): string {
  if (!/^[!-~]{1,256}$/.test(raw)) {
    throw new InputError('audience', `${quote(raw)} is not an audience`, 'Use up to 256 printable characters without spaces, such as urn:pulumi:org:ORG');
  }
  return raw;
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1';
}

/** An http(s) API base URL without credentials, query or fragment; http only for loopback. Returns it without trailing `/`. */
export const validateCloudUrl = (raw: string): string => validateBaseUrl(raw, 'cloud-url', 'the API base URL', DEFAULT_CLOUD_URL);

/** The console's base URL (self-hosted Pulumi Cloud may serve it off `app.<api domain>`), same rules. */
export const validateConsoleUrl = (raw: string): string => validateBaseUrl(raw, 'console-url', 'the console base URL', 'https://app.pulumi.com');

function validateBaseUrl(raw: string, input: string, what: string, example: string): string {
  const shown = quote(redactUserinfo(raw));
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(input, `${shown} is not a URL`, `Use an https URL such as ${example}`);
  }
  if (url.username || url.password) throw new InputError(input, 'must not contain credentials', 'Remove the user:password@ part');
  if (raw.includes('?') || raw.includes('#')) {
    throw new InputError(input, `${shown} has a query or fragment`, `Use ${what} such as ${example}`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new InputError(input, `${shown} uses http:// for a remote host`, 'Use https://; http:// is accepted only for loopback hosts');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(input, `${shown} is not an http(s) URL`, `Use an https URL such as ${example}`);
  }
  return url.href.replace(/\/+$/, '');
}

// The service's ids are UUIDs; this admits any id made of letters, digits, '-' and '_' only,
// so no value can add a path segment, a query, an escape or a line to the log.
const DEPLOYMENT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
/** An id from the service (deployment, update) that can go into a URL path as it is. */
export const isPlainId = (value: unknown): value is string => typeof value === 'string' && DEPLOYMENT_ID.test(value);

export function validateDeploymentId(raw: string): string {
  if (!isPlainId(raw)) {
    throw new InputError('deployment-id', `${quote(raw)} is not a deployment id`, 'Expected up to 128 letters, digits, "-" and "_", such as a UUID');
  }
  return raw;
}

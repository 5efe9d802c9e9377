import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/domain/input-error.js';
import { quote, redactUserinfo } from '../../src/domain/input-error.js';
import {
  isLoopbackHost,
  validateAudience,
  validateCloudUrl,
  validateDeploymentId,
  validateOrganization,
  validateScope,
  validateStackRef,
  validateTokenType,
} from '../../src/domain/names.js';

/** The InputError a call throws (fails the test when it throws nothing or something else). */
function refusal(call: () => unknown): InputError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

// What the post step reads back from the state passes the same rules as the inputs.
describe('validators for state read back by post', () => {
  it.each(['https://api.pulumi.com', 'https://pulumi.example.com/', 'http://127.0.0.1:8080', 'http://[::1]:9', 'http://app.localhost'])('cloud url %s is accepted', (raw) => {
    expect(validateCloudUrl(raw)).toBe(raw.replace(/\/$/, ''));
  });
  it.each([
    ['https://u:p@api.pulumi.com', "Input 'cloud-url': must not contain credentials. Remove the user:password@ part"],
    ['http://evil.example.com', `Input 'cloud-url': "http://evil.example.com" uses http:// for a remote host. Use https://; http:// is accepted only for loopback hosts`],
    ['https://api.pulumi.com/?x', `Input 'cloud-url': "https://api.pulumi.com/?x" has a query or fragment. Use the API base URL such as https://api.pulumi.com`],
    ['javascript:alert(1)', `Input 'cloud-url': "javascript:alert(1)" is not an http(s) URL. Use an https URL such as https://api.pulumi.com`],
    ['https://api.pulumi.com\n::stop-commands::x', undefined],
  ])('cloud url %j is refused', (raw, message) => {
    const error = refusal(() => validateCloudUrl(raw));
    if (message) expect(error.message).toBe(message);
    expect(error.message).not.toMatch(/\n/);
  });

  it.each(['acme', 'a.b', 'a_b-c', 'x'.repeat(100)])('organization %s is accepted', (raw) => expect(validateOrganization(raw)).toBe(raw));
  it.each(['', '.', '..', 'a/b', 'a b', 'x'.repeat(101), 'a%2e', 'a?b', 'a#b', 'é'])('organization %j is refused', (raw) => {
    expect(refusal(() => validateOrganization(raw)).input).toBe('organization');
  });

  it('checks every part of a stack reference', () => {
    expect(validateStackRef({ organization: 'acme', project: 'app', stack: 'dev.1' })).toEqual({ organization: 'acme', project: 'app', stack: 'dev.1' });
    expect(refusal(() => validateStackRef({ organization: 'acme', project: '..', stack: 'dev' })).message).toContain('".." is not a project name');
    expect(refusal(() => validateStackRef({ organization: 'acme', project: 'app', stack: '.' })).message).toContain('"." is not a stack name');
    expect(refusal(() => validateStackRef({ organization: '..', project: 'app', stack: 'dev' })).input).toBe('organization');
  });

  it('token type and scope', () => {
    expect(validateTokenType('urn:pulumi:token-type:access_token:team')).toBe('team');
    expect(refusal(() => validateTokenType('root')).input).toBe('requested-token-type');
    expect(validateScope('organization', undefined)).toBeUndefined();
    expect(validateScope('runner', 'runner:ci-1')).toBe('runner:ci-1');
    expect(refusal(() => validateScope('team', 'team:a\nb')).input).toBe('scope');
    expect(refusal(() => validateScope('personal', '')).message).toBe("Input 'scope': is required for requested-token-type 'personal'. Use 'user:LOGIN'");
  });

  it.each(['urn:pulumi:org:acme', 'custom-aud', 'https://example.com/aud'])('audience %s is accepted', (raw) => expect(validateAudience(raw)).toBe(raw));
  it.each(['', 'a b', 'a\nb', 'x'.repeat(257), 'é'])('audience %j is refused', (raw) => expect(refusal(() => validateAudience(raw)).input).toBe('audience'));

  it.each(['2b1c6b4e-8a9f-4f5b-9c1d-0e2f3a4b5c6d', 'abc123', 'dep_1'])('deployment id %s is accepted', (raw) => expect(validateDeploymentId(raw)).toBe(raw));
  it.each(['', '..', '.', 'a/b', '../x', 'a%2fb', 'a?b', 'a#b', 'a b', 'a\nb', '-a', 'x'.repeat(129), 'ü'])('deployment id %j is refused (it would change the URL path)', (raw) => {
    const error = refusal(() => validateDeploymentId(raw));
    expect(error.message).toMatch(/^Input 'deployment-id': .* is not a deployment id\. Expected up to 128 letters, digits, "-" and "_", such as a UUID$/);
  });

  it('loopback hosts, with and without brackets', () => {
    for (const host of ['localhost', 'a.localhost', '127.0.0.1', '127.9.9.9', '[::1]', '::1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['localhost.example.com', '128.0.0.1', '[::2]', 'example.com']) expect(isLoopbackHost(host), host).toBe(false);
  });
});

describe('quoting user values in messages', () => {
  it('keeps a message on one line and unable to act as a runner command', () => {
    expect(quote('a\r\nb\u2028c\u2029d\u0085e')).toBe('"a\\u000d\\u000ab\\u2028c\\u2029d\\u0085e"');
    expect(quote('##[stop-commands]x')).toBe('"##\\u005bstop-commands]x"');
    expect(quote('\u202eevil')).toBe('"\\u202eevil"');
    expect(quote('x'.repeat(100))).toBe(`"${'x'.repeat(57)}..."`);
  });
  it.each([
    ['https://bob:tok@github.com/a/b.git', 'https://***@github.com/a/b.git'],
    ['https://tok@github.com/a/b.git', 'https://***@github.com/a/b.git'],
    ['https://a:b@c@github.com/x', 'https://***@github.com/x'],
    ['bob:tok@host/x', '***@host/x'],
    ['https://github.com/a/b.git', 'https://github.com/a/b.git'],
    ['https://github.com/a/b@c', 'https://github.com/a/b@c'],
  ])('never shows the userinfo of %s', (raw, shown) => expect(redactUserinfo(raw)).toBe(shown));
});

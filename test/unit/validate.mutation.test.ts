import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../src/domain/input-error.js';
import {
  TOKEN_TYPES,
  isLoopbackHost,
  isName,
  isPlainId,
  validateAudience,
  validateCloudUrl,
  validateDeploymentId,
  validateScope,
  validateStackPart,
  validateTokenType,
  type TokenType,
} from '../../src/domain/names.js';

// The refusing side of each check, as the mutation run (`npm run mutation`) showed it untested.

function refusal(call: () => unknown): InputError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

const label = fc.stringMatching(/^[a-z0-9]{1,12}$/);

describe('isLoopbackHost: only loopback names and addresses', () => {
  it('a loopback address or name followed or preceded by more labels is a remote host', () => {
    fc.assert(
      fc.property(fc.constantFrom('127.0.0.1', '127.1.2.3', 'localhost', '::1'), label, (loopback, other) => {
        expect(isLoopbackHost(`${loopback}.${other}.com`)).toBe(false);
        expect(isLoopbackHost(`${other}${loopback}`)).toBe(false);
        if (loopback !== 'localhost') expect(isLoopbackHost(`${other}.${loopback}`)).toBe(false);
      }),
    );
    for (const host of [
      '127.0.0.1.evil.com',
      'x127.0.0.1',
      '127.0.0',
      '127.0.0.1.',
      '127.a.0.1',
      'localhost.evil',
      'evil-localhost',
      '::1.evil',
      ':::1',
      '::12',
      'local[host',
      'local]host',
      '::]1',
      '127.10.20',
    ])
      expect(isLoopbackHost(host), host).toBe(false);
  });

  it('is not fooled by case or brackets', () => {
    for (const host of ['LOCALHOST', 'App.LocalHost', '[::1]', '127.0.0.10', '127.10.20.30', '127.255.1.0']) expect(isLoopbackHost(host), host).toBe(true);
  });

  it('http:// is refused for a host that only starts or ends like a loopback one', () => {
    for (const url of ['http://127.0.0.1.evil.com', 'http://localhost.evil.com', 'http://evil-localhost', 'http://127.0.0.1.nip.io:8080'])
      expect(refusal(() => validateCloudUrl(url)).message, url).toContain('uses http:// for a remote host');
    expect(validateCloudUrl('http://127.1:9')).toBe('http://127.0.0.1:9');
  });
});

describe('validateCloudUrl: credentials, queries and schemes', () => {
  it('refuses a user name alone, a password alone, or both, without printing them', () => {
    fc.assert(
      fc.property(fc.constantFrom('http://127.0.0.1', 'https://api.pulumi.com'), label, fc.constantFrom('user', 'password', 'both'), (base, secret, which) => {
        const userinfo = which === 'user' ? secret : which === 'password' ? `:${secret}` : `${secret}:${secret}`;
        const url = base.replace('://', `://${userinfo}@`);
        const error = refusal(() => validateCloudUrl(url));
        expect(error.message).toBe("Input 'cloud-url': must not contain credentials. Remove the user:password@ part");
      }),
    );
  });

  it('refuses an empty query or fragment as well as a filled one', () => {
    for (const url of ['https://api.pulumi.com/?', 'https://api.pulumi.com/#', 'https://api.pulumi.com#x', 'https://api.pulumi.com/?a=1'])
      expect(refusal(() => validateCloudUrl(url)).message, url).toContain('has a query or fragment');
  });

  it('refuses other schemes, and names the problem', () => {
    for (const url of ['ftp://api.pulumi.com', 'ws://127.0.0.1', 'file:///etc/passwd'])
      expect(refusal(() => validateCloudUrl(url)).message, url).toBe(
        `Input 'cloud-url': ${JSON.stringify(url)} is not an http(s) URL. Use an https URL such as https://api.pulumi.com`,
      );
    expect(refusal(() => validateCloudUrl('not a url')).message).toBe(`Input 'cloud-url': "not a url" is not a URL. Use an https URL such as https://api.pulumi.com`);
  });

  it('drops every trailing slash and keeps the path', () => {
    expect(validateCloudUrl('https://pulumi.example.com/api///')).toBe('https://pulumi.example.com/api');
    expect(validateCloudUrl('https://pulumi.example.com/api/v1')).toBe('https://pulumi.example.com/api/v1');
  });
});

describe('validateScope: each token type takes its own scope form only', () => {
  const forms: Record<TokenType, string> = { organization: 'admin', team: 'team:', personal: 'user:', runner: 'runner:' };
  const scopeFor = (type: TokenType, name: string) => (type === 'organization' ? 'admin' : `${forms[type]}${name}`);

  it("a scope made for another token type is refused, and the message names the type's form", () => {
    fc.assert(
      fc.property(fc.constantFrom(...TOKEN_TYPES), fc.constantFrom(...TOKEN_TYPES), label, (type, other, name) => {
        const scope = scopeFor(other, name);
        if (type === other) {
          expect(validateScope(type, scope)).toBe(scope);
          return;
        }
        const error = refusal(() => validateScope(type, scope));
        expect(error.input).toBe('scope');
        expect(error.message).toContain(`does not fit requested-token-type '${type}'`);
      }),
    );
  });

  it('refuses a scope with text around the form, or a name with spaces, colons or control characters', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<TokenType>('team', 'personal', 'runner'),
        label,
        fc.constantFrom(' ', ':', '\n', '\t', '\u0000', '\u001f', '\u007f', '\u0085', '\u009f'),
        (type, name, bad) => {
          expect(() => validateScope(type, scopeFor(type, `${name}${bad}x`))).toThrow(InputError);
          expect(() => validateScope(type, `x${scopeFor(type, name)}`)).toThrow(InputError);
          expect(() => validateScope(type, forms[type])).toThrow(InputError);
        },
      ),
    );
    for (const scope of ['admins', 'xadmin', 'admin ', 'team:x']) expect(() => validateScope('organization', scope), scope).toThrow(InputError);
  });

  it('an empty scope is required for team, personal and runner tokens, and optional for organization ones', () => {
    for (const type of ['team', 'personal', 'runner'] as const) {
      expect(refusal(() => validateScope(type, undefined)).message).toBe(
        `Input 'scope': is required for requested-token-type '${type}'. Use '${forms[type]}${{ team: 'NAME', personal: 'LOGIN', runner: 'NAME' }[type]}'`,
      );
      expect(() => validateScope(type, '')).toThrow(InputError);
    }
    expect(validateScope('organization', '')).toBeUndefined();
    expect(validateScope('organization', 'admin')).toBe('admin');
  });
});

describe('validateTokenType', () => {
  it('takes the short names and the URN form, and nothing around them', () => {
    for (const type of TOKEN_TYPES) {
      expect(validateTokenType(type)).toBe(type);
      expect(validateTokenType(`urn:pulumi:token-type:access_token:${type}`)).toBe(type);
      expect(() => validateTokenType(`x${type}`)).toThrow(InputError);
      expect(() => validateTokenType(`urn:pulumi:token-type:access_token:${type}x`)).toThrow(InputError);
    }
    expect(refusal(() => validateTokenType('root')).message).toBe(
      `Input 'requested-token-type': "root" is not a token type. Use one of organization, team, personal, runner, or urn:pulumi:token-type:access_token:<type>`,
    );
  });
});

describe('isPlainId and isName: only strings of the allowed characters', () => {
  it('non-strings are never ids, whatever they print as', () => {
    const printsAsId = { toString: () => 'abc123' };
    for (const value of [123, ['abc'], printsAsId, null, undefined, true, new String('abc')]) expect(isPlainId(value), String(value)).toBe(false);
  });

  it('an id is 1 to 128 characters of [A-Za-z0-9_-], starting with a letter or digit', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/), fc.string({ maxLength: 3 }), (id, extra) => {
        expect(isPlainId(id)).toBe(true);
        expect(validateDeploymentId(id)).toBe(id);
        const longer = `${id}${extra}`;
        expect(isPlainId(longer)).toBe(longer.length <= 128 && /^[A-Za-z0-9_-]*$/.test(extra));
        expect(isPlainId(`${extra}${id}`)).toBe(`${extra}${id}`.length <= 128 && /^([A-Za-z0-9][A-Za-z0-9_-]*)?$/.test(extra));
      }),
    );
    expect(isPlainId('x'.repeat(128))).toBe(true);
    expect(isPlainId('x'.repeat(129))).toBe(false);
    expect(isPlainId('_a')).toBe(false);
  });

  it('a name is 1 to 100 characters of [A-Za-z0-9_.-], not "." or ".."', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_.-]{1,100}$/), fc.string({ maxLength: 3 }), (name, extra) => {
        expect(isName(name)).toBe(name !== '.' && name !== '..');
        const longer = `${extra}${name}${extra}`;
        expect(isName(longer)).toBe(longer.length <= 100 && /^[A-Za-z0-9_.-]*$/.test(extra) && longer !== '.' && longer !== '..');
      }),
    );
    expect(isName('...')).toBe(true);
    expect(refusal(() => validateStackPart('stack', 'a b')).input).toBe('stack');
    expect(refusal(() => validateStackPart('project', 'a b', 'project')).message).toBe(
      `Input 'project': "a b" is not a project name. Use up to 100 letters, digits, "-", "_" and "." (not "." or ".." alone)`,
    );
  });
});

describe('validateAudience', () => {
  it('accepts 1 to 256 printable ASCII characters without spaces, nothing else', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[!-~]{1,256}$/), fc.constantFrom(' ', '\u007f', '\u00a0', 'é', '\n', '\u0000'), fc.nat(), (aud, bad, at) => {
        expect(validateAudience(aud)).toBe(aud);
        const i = at % (aud.length + 1);
        expect(() => validateAudience(aud.slice(0, i) + bad + aud.slice(i))).toThrow(InputError);
      }),
    );
    expect(validateAudience('a'.repeat(256))).toBe('a'.repeat(256));
    expect(refusal(() => validateAudience('a b')).message).toBe(
      `Input 'audience': "a b" is not an audience. Use up to 256 printable characters without spaces, such as urn:pulumi:org:ORG`,
    );
  });
});

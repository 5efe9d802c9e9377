import { describe, expect, it, vi } from 'vitest';
import { TokenSession, type IssuedToken } from '../../src/login/token-session.js';
import type { PulumiCloudClient, TokenExchangeRequest, TokenGrant } from '../../src/cloud/client.js';
import type { LoginConfig } from '../../src/inputs/parse.js';

const login: LoginConfig = {
  organization: 'acme',
  tokenType: 'organization',
  scope: 'admin',
  expirationSeconds: 3_600,
  cloudUrl: 'https://api.pulumi.com',
  audience: 'urn:pulumi:org:acme',
  exportEnvironmentVariables: true,
  logout: true,
};

const T0 = Date.parse('2025-06-01T00:00:00Z');
/** A plausible access token (the session refuses short or odd ones). */
const tok = (n: number | string) => `pul-${String(n).padStart(40, '0')}`;

const grant = (token: unknown, expiresIn: unknown): TokenGrant =>
  ({
    access_token: token,
    expires_in: expiresIn,
    issued_token_type: 'urn:pulumi:token-type:access_token:organization',
    scope: '',
    token_type: 'token',
  }) as unknown as TokenGrant;

/** A fake client whose exchanges hand out tok(1), tok(2), ... with the given lifetime. */
function setup(lifetimeSeconds: unknown = 3_600, config: Partial<LoginConfig> = {}) {
  let clock = T0;
  let n = 0;
  const events: string[] = [];
  const exchangeToken = vi.fn(async (_request: TokenExchangeRequest, _idToken: () => Promise<string>) => {
    n++;
    events.push(`exchange ${n}`);
    return grant(tok(n), lifetimeSeconds);
  });
  const client = { exchangeToken } as unknown as PulumiCloudClient;
  const issued: [IssuedToken, boolean][] = [];
  const onToken = vi.fn((token: IssuedToken, isRefresh: boolean) => {
    events.push(`onToken ${token.token.slice(-1)}`);
    issued.push([{ ...token }, isRefresh]);
  });
  const log = vi.fn();
  const warn = vi.fn();
  const idToken = vi.fn(async () => 'id-token');
  const session = new TokenSession({ ...login, ...config }, { client, idToken, onToken, log, warn, now: () => clock });
  return {
    session,
    warn,
    exchangeToken,
    onToken,
    issued,
    log,
    idToken,
    events,
    setClock: (t: number) => {
      clock = t;
    },
  };
}

describe('TokenSession.start', () => {
  it('exchanges once with the login settings and the ID token source', async () => {
    const s = setup();
    const token = await s.session.start();
    expect(token).toEqual({ token: tok(1), expiresAt: new Date(T0 + 3_600_000) });
    expect(s.session.token).toEqual(token);
    expect(s.exchangeToken).toHaveBeenCalledTimes(1);
    expect(s.exchangeToken.mock.calls[0]![0]).toEqual({
      organization: 'acme',
      audience: 'urn:pulumi:org:acme',
      tokenType: 'organization',
      scope: 'admin',
      expirationSeconds: 3_600,
    });
    expect(s.exchangeToken.mock.calls[0]![1]).toBe(s.idToken);
    expect(s.issued).toEqual([[{ token: tok(1), expiresAt: new Date(T0 + 3_600_000) }, false]]);
    expect(s.log).not.toHaveBeenCalled();
  });

  it('has no token before start', () => {
    expect(setup().session.token).toBeUndefined();
  });
});

describe('TokenSession.current', () => {
  it('exchanges on first use without start', async () => {
    const s = setup();
    expect(await s.session.current()).toBe(tok(1));
    expect(s.issued.map(([t, r]) => [t.token, r])).toEqual([[tok(1), false]]);
  });

  it('keeps the token until 5 minutes before expiry for a long-lived token', async () => {
    const s = setup(3_600);
    await s.session.start();
    s.setClock(T0 + 3_300_000 - 1); // 5 min + 1 ms left
    expect(await s.session.current()).toBe(tok(1));
    expect(s.exchangeToken).toHaveBeenCalledTimes(1);
    s.setClock(T0 + 3_300_000); // exactly 5 min left
    expect(await s.session.current()).toBe(tok(2));
    expect(s.exchangeToken).toHaveBeenCalledTimes(2);
    expect(s.log.mock.calls).toEqual([['Refreshing the Pulumi access token: the access token is about to expire.']]);
    expect(s.session.token).toEqual({ token: tok(2), expiresAt: new Date(T0 + 3_300_000 + 3_600_000) });
    expect(await s.session.current()).toBe(tok(2));
    expect(s.exchangeToken).toHaveBeenCalledTimes(2);
  });

  it('refreshes with a fifth of the life left for a short-lived token', async () => {
    const s = setup(600); // margin 120 s
    await s.session.start();
    s.setClock(T0 + 480_000 - 1);
    expect(await s.session.current()).toBe(tok(1));
    s.setClock(T0 + 480_000);
    expect(await s.session.current()).toBe(tok(2));
  });

  it('refreshes an expired token', async () => {
    const s = setup(60);
    await s.session.start();
    s.setClock(T0 + 3_600_000);
    expect(await s.session.current()).toBe(tok(2));
  });
});

describe('TokenSession.refresh', () => {
  it('exchanges again, logs the reason and reports the new token as a refresh', async () => {
    const s = setup();
    await s.session.start();
    s.setClock(T0 + 1_000);
    expect(await s.session.refresh('Pulumi Cloud answered 401')).toBe(tok(2));
    expect(s.log.mock.calls).toEqual([['Refreshing the Pulumi access token: Pulumi Cloud answered 401.']]);
    expect(s.issued).toEqual([
      [{ token: tok(1), expiresAt: new Date(T0 + 3_600_000) }, false],
      [{ token: tok(2), expiresAt: new Date(T0 + 1_000 + 3_600_000) }, true],
    ]);
  });

  it('shares one exchange between concurrent callers', async () => {
    const s = setup();
    await s.session.start();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    s.exchangeToken.mockImplementationOnce(async () => {
      await gate;
      return grant(tok('shared'), 3_600);
    });
    s.setClock(T0 + 3_500_000); // about to expire, so current() refreshes too
    const all = Promise.all([s.session.refresh('401 on logs'), s.session.refresh('401 on status'), s.session.current(), s.session.current()]);
    await Promise.resolve();
    release();
    expect(await all).toEqual([tok('shared'), tok('shared'), tok('shared'), tok('shared')]);
    expect(s.exchangeToken).toHaveBeenCalledTimes(2); // start + one shared refresh
    expect(s.log.mock.calls).toEqual([['Refreshing the Pulumi access token: 401 on logs.']]);
    expect(s.onToken).toHaveBeenCalledTimes(2);
  });

  it('a 401 on a token already replaced (another stack refreshed it) gets the newer token: one refresh for every stack', async () => {
    const s = setup();
    const first = (await s.session.start()).token;
    const second = await s.session.refresh('401 on stack a', first);
    // Stack b's request left with the first token before the refresh, and is refused after it.
    expect(await s.session.refresh('401 on stack b', first)).toBe(second);
    expect(s.exchangeToken).toHaveBeenCalledTimes(2); // start + one refresh
    // A 401 on the current token still refreshes.
    expect(await s.session.refresh('401 on stack c', second)).not.toBe(second);
    expect(s.exchangeToken).toHaveBeenCalledTimes(3);
  });

  it('starts a new exchange once the shared one has finished', async () => {
    const s = setup();
    await s.session.start();
    const [a, b] = await Promise.all([s.session.refresh('x'), s.session.refresh('y')]);
    const c = await s.session.refresh('z');
    expect([a, b, c]).toEqual([tok(2), tok(2), tok(3)]);
    expect(s.exchangeToken).toHaveBeenCalledTimes(3);
  });

  it('calls onToken for each token, before the caller gets it', async () => {
    const s = setup();
    s.events.length = 0;
    await s.session.start();
    s.events.push('started');
    await s.session.refresh('a');
    s.events.push('refreshed');
    await s.session.refresh('b');
    s.events.push('refreshed');
    expect(s.events).toEqual(['exchange 1', 'onToken 1', 'started', 'exchange 2', 'onToken 2', 'refreshed', 'exchange 3', 'onToken 3', 'refreshed']);
    expect(s.issued.map(([t, r]) => [t.token, r])).toEqual([
      [tok(1), false],
      [tok(2), true],
      [tok(3), true],
    ]);
  });

  it('shares a failure with every waiting caller and tries again on the next refresh', async () => {
    const s = setup();
    await s.session.start();
    s.exchangeToken.mockImplementationOnce(async () => {
      throw new Error('Token exchange failed: Pulumi Cloud answered 403');
    });
    const results = await Promise.allSettled([s.session.refresh('a'), s.session.refresh('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason.message).toBe('Token exchange failed: Pulumi Cloud answered 403');
    expect(s.session.token?.token).toBe(tok(1));
    expect(await s.session.refresh('again')).toBe(tok(2));
    expect(s.exchangeToken).toHaveBeenCalledTimes(3);
  });
});

describe('untrusted token lifetimes (expires_in)', () => {
  const HOUR = 3_600_000;
  it.each([
    ['missing', undefined, 'no value'],
    ['null', null, 'no value'],
    ['zero', 0, '0'],
    ['negative', -5, '-5'],
    ['NaN', NaN, 'NaN'],
    ['Infinity', Infinity, 'Infinity'],
    ['fractional below a second', 0.5, '0.5'],
    ['absurd (over a year)', 365 * 24 * 3600 + 1, '31536001'],
    ['huge', 1e300, '1e+300'],
    ['a non-numeric string', '2h\n::stop-commands::x', 'a non-numeric string of 21 characters'],
    ['an object', { seconds: 3600 }, 'a value of type object'],
  ])('%s: uses the requested token-expiration, warns once, never crashes', async (_name, expiresIn, described) => {
    const s = setup(3_600, { expirationSeconds: 2_700 });
    let n = 0;
    s.exchangeToken.mockImplementation(async () => grant(tok(++n), expiresIn)); // setup(undefined) would mean 3600
    expect(await s.session.start()).toEqual({ token: tok(1), expiresAt: new Date(T0 + 2_700_000) });
    expect(s.warn.mock.calls).toEqual([[`Pulumi Cloud answered ${described} as the token lifetime (expires_in); assuming 2700 s, the requested token-expiration.`]]);
    expect(s.warn.mock.calls[0]![0]).not.toMatch(/[\r\n]|::/);
    // A refresh that gets the same answer does not warn again.
    s.setClock(T0 + HOUR);
    await s.session.refresh('401');
    expect(s.warn).toHaveBeenCalledTimes(1);
  });

  it('falls back to the service default of 2 h when no expiration was requested', async () => {
    const s = setup('soon', { expirationSeconds: undefined });
    expect((await s.session.start()).expiresAt).toEqual(new Date(T0 + 2 * HOUR));
    expect(s.warn.mock.calls).toEqual([['Pulumi Cloud answered a non-numeric string of 4 characters as the token lifetime (expires_in); assuming 7200 s, the service default.']]);
  });

  it('caps an absurd requested expiration used as the fallback', async () => {
    const s = setup(-1, { expirationSeconds: 10 * 365 * 24 * 3600 });
    expect((await s.session.start()).expiresAt).toEqual(new Date(T0 + 365 * 24 * HOUR));
  });

  it('accepts a sane lifetime as is, also sent as a digit string, without a warning', async () => {
    for (const [value, ms] of [
      [1, 1_000],
      [7_200, 2 * HOUR],
      ['600', 600_000],
      [365 * 24 * 3600, 365 * 24 * HOUR],
      [90.9, 90_000],
    ] as const) {
      const s = setup(value);
      expect((await s.session.start()).expiresAt).toEqual(new Date(T0 + ms));
      expect(s.warn).not.toHaveBeenCalled();
    }
  });

  it('is decided before onToken publishes anything', async () => {
    const s = setup(NaN);
    s.onToken.mockImplementation((token: IssuedToken) => {
      // What publishing does first: this threw `Invalid time value` before.
      expect(token.expiresAt.toISOString()).toBe(new Date(T0 + HOUR).toISOString());
      expect(s.warn).toHaveBeenCalledTimes(1);
    });
    await s.session.start();
    expect(s.onToken).toHaveBeenCalledTimes(1);
  });
});

describe('refresh rate limit (injected time)', () => {
  it('expires_in 0: treated as 2 h, so no exchange storm at all', async () => {
    const s = setup(0, { expirationSeconds: undefined });
    await s.session.start();
    for (let i = 0; i < 100; i++) expect(await s.session.current()).toBe(tok(1));
    expect(s.exchangeToken).toHaveBeenCalledTimes(1);
  });

  it('a lifetime of 1 s: one proactive refresh per 5 s of clock, not one per call', async () => {
    const s = setup(1);
    await s.session.start();
    let clock = T0;
    for (let i = 0; i < 600; i++) {
      clock += 1_000; // 600 calls over 10 minutes
      s.setClock(clock);
      await s.session.current();
    }
    expect(s.exchangeToken).toHaveBeenCalledTimes(1 + 600 / 5);
  });

  it('holds a 1 s token until 5 s after the exchange', async () => {
    const s = setup(1);
    await s.session.start();
    s.setClock(T0 + 4_999);
    expect(await s.session.current()).toBe(tok(1));
    s.setClock(T0 + 5_000);
    expect(await s.session.current()).toBe(tok(2));
    expect(s.exchangeToken).toHaveBeenCalledTimes(2);
  });

  it('never delays an honest refresh: an 8 s token is refreshed at 6.4 s, before it runs out', async () => {
    const s = setup(8);
    await s.session.start();
    s.setClock(T0 + 6_399);
    expect(await s.session.current()).toBe(tok(1));
    s.setClock(T0 + 6_400);
    expect(await s.session.current()).toBe(tok(2));
  });

  it('a 401-triggered refresh is never rate-limited', async () => {
    const s = setup(1);
    await s.session.start();
    expect(await s.session.refresh('Pulumi Cloud answered 401')).toBe(tok(2));
    expect(await s.session.refresh('Pulumi Cloud answered 401')).toBe(tok(3));
    expect(s.exchangeToken).toHaveBeenCalledTimes(3);
    // ...and it restarts the proactive clock.
    s.setClock(T0 + 4_000);
    expect(await s.session.current()).toBe(tok(3));
  });
});

describe('untrusted access_token', () => {
  const bad: [string, unknown, string][] = [
    ['missing', undefined, 'no access_token'],
    ['null', null, 'no access_token'],
    ['a number', 42, 'an access_token that is not a string (number)'],
    ['an object', { value: 'x' }, 'an access_token that is not a string (object)'],
    ['empty', '', 'an empty access_token'],
    ['too short', 'pul-abc', 'an access_token of 7 characters'],
    ['too long', 'p'.repeat(4097), 'an access_token of 4097 characters'],
    ['with a space', `${tok(1)} x`, 'an access_token with characters'],
    ['with a newline and a command', `${tok(1)}\n::stop-commands::abc`, 'an access_token with characters'],
    ['with a carriage return', `${tok(1)}\rx`, 'an access_token with characters'],
    ['with the old command syntax', `${tok(1)}##[stop-commands]x`, 'an access_token with characters'],
    ['with a NUL', `${tok(1)}\0`, 'an access_token with characters'],
    ['with non-ASCII', `${tok(1)}é`, 'an access_token with characters'],
    ['with a Unicode line separator', `${tok(1)}\u2028`, 'an access_token with characters'],
  ];
  it.each(bad)('%s: one clear error, nothing published, the value never quoted', async (_name, value, problem) => {
    const s = setup();
    s.exchangeToken.mockImplementationOnce(async () => grant(value, 3_600));
    const error = await s.session.start().then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toContain(`Token exchange answered 200 with ${problem}`);
    expect(error?.message).toContain('The token was not used or published.');
    expect(error?.message).not.toMatch(/[\r\n\0]/);
    if (typeof value === 'string' && value) expect(error?.message).not.toContain(value);
    expect(s.onToken).not.toHaveBeenCalled();
    expect(s.session.token).toBeUndefined();
  });

  it('a refused refresh keeps the previous token and publishes nothing new', async () => {
    const s = setup();
    await s.session.start();
    s.exchangeToken.mockImplementationOnce(async () => grant(`${tok(2)} x`, 3_600));
    await expect(s.session.refresh('401')).rejects.toThrow(/Token exchange answered 200 with an access_token with characters/);
    expect(s.onToken).toHaveBeenCalledTimes(1);
    expect(s.session.token?.token).toBe(tok(1));
  });

  it('accepts JWT-like and base64 tokens', async () => {
    for (const value of ['eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl', 'YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo+/w==', 'pul-' + 'a'.repeat(40)]) {
      const s = setup();
      s.exchangeToken.mockImplementationOnce(async () => grant(value, 3_600));
      expect((await s.session.start()).token).toBe(value);
    }
  });
});

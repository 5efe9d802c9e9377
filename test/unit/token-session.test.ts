import { describe, expect, it, vi } from 'vitest';
import { TokenSession, type IssuedToken } from '../../src/token-session.js';
import type { PulumiCloudClient, TokenExchangeRequest, TokenGrant } from '../../src/pulumi-client.js';
import type { LoginConfig } from '../../src/inputs.js';

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

const grant = (token: string, expiresIn: number): TokenGrant => ({
  access_token: token,
  expires_in: expiresIn,
  issued_token_type: 'urn:pulumi:token-type:access_token:organization',
  scope: '',
  token_type: 'token',
});

/** A fake client whose exchanges hand out tok-1, tok-2, ... with the given lifetime. */
function setup(lifetimeSeconds = 3_600) {
  let clock = T0;
  let n = 0;
  const events: string[] = [];
  const exchangeToken = vi.fn(async (_request: TokenExchangeRequest, _idToken: () => Promise<string>) => {
    n++;
    events.push(`exchange ${n}`);
    return grant(`tok-${n}`, lifetimeSeconds);
  });
  const client = { exchangeToken } as unknown as PulumiCloudClient;
  const issued: [IssuedToken, boolean][] = [];
  const onToken = vi.fn((token: IssuedToken, isRefresh: boolean) => {
    events.push(`onToken ${token.token}`);
    issued.push([{ ...token }, isRefresh]);
  });
  const log = vi.fn();
  const idToken = vi.fn(async () => 'id-token');
  const session = new TokenSession(login, { client, idToken, onToken, log, now: () => clock });
  return {
    session,
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
    expect(token).toEqual({ token: 'tok-1', expiresAt: new Date(T0 + 3_600_000) });
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
    expect(s.issued).toEqual([[{ token: 'tok-1', expiresAt: new Date(T0 + 3_600_000) }, false]]);
    expect(s.log).not.toHaveBeenCalled();
  });

  it('has no token before start', () => {
    expect(setup().session.token).toBeUndefined();
  });

  it('treats a negative lifetime as already expired', async () => {
    const s = setup(-5);
    expect(await s.session.start()).toEqual({ token: 'tok-1', expiresAt: new Date(T0) });
  });
});

describe('TokenSession.current', () => {
  it('exchanges on first use without start', async () => {
    const s = setup();
    expect(await s.session.current()).toBe('tok-1');
    expect(s.issued.map(([t, r]) => [t.token, r])).toEqual([['tok-1', false]]);
  });

  it('keeps the token until 5 minutes before expiry for a long-lived token', async () => {
    const s = setup(3_600);
    await s.session.start();
    s.setClock(T0 + 3_300_000 - 1); // 5 min + 1 ms left
    expect(await s.session.current()).toBe('tok-1');
    expect(s.exchangeToken).toHaveBeenCalledTimes(1);
    s.setClock(T0 + 3_300_000); // exactly 5 min left
    expect(await s.session.current()).toBe('tok-2');
    expect(s.exchangeToken).toHaveBeenCalledTimes(2);
    expect(s.log.mock.calls).toEqual([['Refreshing the Pulumi access token: the access token is about to expire.']]);
    expect(s.session.token).toEqual({ token: 'tok-2', expiresAt: new Date(T0 + 3_300_000 + 3_600_000) });
    expect(await s.session.current()).toBe('tok-2');
    expect(s.exchangeToken).toHaveBeenCalledTimes(2);
  });

  it('refreshes with a fifth of the life left for a short-lived token', async () => {
    const s = setup(600); // margin 120 s
    await s.session.start();
    s.setClock(T0 + 480_000 - 1);
    expect(await s.session.current()).toBe('tok-1');
    s.setClock(T0 + 480_000);
    expect(await s.session.current()).toBe('tok-2');
  });

  it('refreshes an expired token', async () => {
    const s = setup(60);
    await s.session.start();
    s.setClock(T0 + 3_600_000);
    expect(await s.session.current()).toBe('tok-2');
  });
});

describe('TokenSession.refresh', () => {
  it('exchanges again, logs the reason and reports the new token as a refresh', async () => {
    const s = setup();
    await s.session.start();
    s.setClock(T0 + 1_000);
    expect(await s.session.refresh('Pulumi Cloud answered 401')).toBe('tok-2');
    expect(s.log.mock.calls).toEqual([['Refreshing the Pulumi access token: Pulumi Cloud answered 401.']]);
    expect(s.issued).toEqual([
      [{ token: 'tok-1', expiresAt: new Date(T0 + 3_600_000) }, false],
      [{ token: 'tok-2', expiresAt: new Date(T0 + 1_000 + 3_600_000) }, true],
    ]);
  });

  it('shares one exchange between concurrent callers', async () => {
    const s = setup();
    await s.session.start();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    s.exchangeToken.mockImplementationOnce(async () => {
      await gate;
      return grant('tok-shared', 3_600);
    });
    s.setClock(T0 + 3_500_000); // about to expire, so current() refreshes too
    const all = Promise.all([s.session.refresh('401 on logs'), s.session.refresh('401 on status'), s.session.current(), s.session.current()]);
    await Promise.resolve();
    release();
    expect(await all).toEqual(['tok-shared', 'tok-shared', 'tok-shared', 'tok-shared']);
    expect(s.exchangeToken).toHaveBeenCalledTimes(2); // start + one shared refresh
    expect(s.log.mock.calls).toEqual([['Refreshing the Pulumi access token: 401 on logs.']]);
    expect(s.onToken).toHaveBeenCalledTimes(2);
  });

  it('starts a new exchange once the shared one has finished', async () => {
    const s = setup();
    await s.session.start();
    const [a, b] = await Promise.all([s.session.refresh('x'), s.session.refresh('y')]);
    const c = await s.session.refresh('z');
    expect([a, b, c]).toEqual(['tok-2', 'tok-2', 'tok-3']);
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
    expect(s.events).toEqual(['exchange 1', 'onToken tok-1', 'started', 'exchange 2', 'onToken tok-2', 'refreshed', 'exchange 3', 'onToken tok-3', 'refreshed']);
    expect(s.issued.map(([t, r]) => [t.token, r])).toEqual([
      ['tok-1', false],
      ['tok-2', true],
      ['tok-3', true],
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
    expect(s.session.token?.token).toBe('tok-1');
    expect(await s.session.refresh('again')).toBe('tok-2');
    expect(s.exchangeToken).toHaveBeenCalledTimes(3);
  });
});

import { describe, expect, it } from 'vitest';
import { GITHUB_COMMENT_LIMIT, WORKFLOW_TOKEN_AUTHOR, commentBody, commentMarker, isOurComment } from '../../src/report/pr-comment.js';

const marker = commentMarker('acme/app/dev');

describe('isOurComment', () => {
  const bot = { login: 'github-actions[bot]', type: 'Bot' };
  it('needs our marker and our author', () => {
    expect(isOurComment({ body: `${marker}\nreport`, user: bot }, marker, WORKFLOW_TOKEN_AUTHOR)).toBe(true);
    expect(isOurComment({ body: `${marker}\nreport`, user: { login: 'mallory', type: 'User' } }, marker, WORKFLOW_TOKEN_AUTHOR)).toBe(false);
    expect(isOurComment({ body: `${marker}\nreport`, user: { login: 'github-actions[bot]', type: 'User' } }, marker, WORKFLOW_TOKEN_AUTHOR)).toBe(false);
    expect(isOurComment({ body: `x ${marker}\nreport`, user: bot }, marker, WORKFLOW_TOKEN_AUTHOR)).toBe(false);
    expect(isOurComment({ body: `${commentMarker('acme/app/dev2')}\n`, user: bot }, marker, WORKFLOW_TOKEN_AUTHOR)).toBe(false);
    expect(isOurComment({ body: `${marker}\n`, user: null }, marker, WORKFLOW_TOKEN_AUTHOR)).toBe(false);
  });

  it('matches a personal token user by login, case-insensitively', () => {
    expect(isOurComment({ body: `${marker}\nr`, user: { login: 'Alice', type: 'User' } }, marker, { login: 'alice', type: 'User' })).toBe(true);
    expect(isOurComment({ body: `${marker}\nr`, user: { login: 'bob', type: 'User' } }, marker, { login: 'alice', type: 'User' })).toBe(false);
  });
});

describe('commentBody', () => {
  it('is under the limit with the marker included, whatever the tail', () => {
    const data = {
      stack: 'acme/app/dev',
      operation: 'update',
      status: 'failed',
      ok: false,
      message: 'm'.repeat(100_000),
      tail: Array.from({ length: 200_000 }, () => '`'.repeat(300)),
    };
    const body = commentBody(data);
    expect(body.startsWith(`${marker}\n### `)).toBe(true);
    expect(body.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(body.length).toBeLessThanOrEqual(60_000);
  });
});

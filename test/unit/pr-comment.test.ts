import { describe, expect, it } from 'vitest';
import { WORKFLOW_TOKEN_AUTHOR, isOurComment } from '../../src/report/pr-comment.js';
import { commentMarker } from '../../src/report/comment-body.js';

const marker = commentMarker(['acme/app/dev']);

describe('isOurComment', () => {
  const bot = { login: 'github-actions[bot]', type: 'Bot' };
  it('needs our marker and our author', () => {
    expect(isOurComment({ body: `${marker}\nreport`, user: bot }, marker, WORKFLOW_TOKEN_AUTHOR)).toBe(true);
    expect(isOurComment({ body: `${marker}\nreport`, user: { login: 'mallory', type: 'User' } }, marker, WORKFLOW_TOKEN_AUTHOR)).toBe(false);
    expect(isOurComment({ body: `${marker}\nreport`, user: { login: 'github-actions[bot]', type: 'User' } }, marker, WORKFLOW_TOKEN_AUTHOR)).toBe(false);
    expect(isOurComment({ body: `x ${marker}\nreport`, user: bot }, marker, WORKFLOW_TOKEN_AUTHOR)).toBe(false);
    expect(isOurComment({ body: `${commentMarker(['acme/app/dev2'])}\n`, user: bot }, marker, WORKFLOW_TOKEN_AUTHOR)).toBe(false);
    expect(isOurComment({ body: `${marker}\n`, user: null }, marker, WORKFLOW_TOKEN_AUTHOR)).toBe(false);
  });

  it('matches a personal token user by login, case-insensitively', () => {
    expect(isOurComment({ body: `${marker}\nr`, user: { login: 'Alice', type: 'User' } }, marker, { login: 'alice', type: 'User' })).toBe(true);
    expect(isOurComment({ body: `${marker}\nr`, user: { login: 'bob', type: 'User' } }, marker, { login: 'alice', type: 'User' })).toBe(false);
  });
});

// The PR comment's GitHub client against a real local server: every request has a deadline,
// all of them one overall budget, and only what can succeed on retry is sent again.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { boundedOctokit } from '../../src/github/client.js';
import { commentAuthor, WORKFLOW_TOKEN_AUTHOR } from '../../src/report/pr-comment.js';
import { httpFailureOf } from '../../src/cloud/retry.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r).closeAllConnections())));
});

/** A GitHub stand-in answering each request with the next handler (the last one repeats); records the methods. */
async function github(...handlers: Array<(req: IncomingMessage, res: ServerResponse) => void>) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    (handlers[seen.length - 1] ?? handlers.at(-1)!)(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}
const json = (status: number, body: unknown) => (_req: IncomingMessage, res: ServerResponse) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const trickle = (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
  const timer = setInterval(() => res.write(' '), 100);
  res.on('close', () => clearInterval(timer));
};
const bounds = (budgetMs: number, requestTimeoutMs: number) => ({ signal: AbortSignal.timeout(budgetMs), budgetMs, requestTimeoutMs, sleep: async () => {} });

describe('GitHub calls', () => {
  it('a trickling answer is cut at the request deadline, retried, and the whole call ends at the budget', async () => {
    const { url, seen } = await github(trickle);
    const started = Date.now();
    const error = await commentAuthor(boundedOctokit('t', url, bounds(1_500, 400))).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect((error as Error).message).toMatch(/^GET \/user got no complete answer within [0-2] s$/);
    expect(seen.length).toBeGreaterThanOrEqual(2);
  });

  it('retries a 502 on a GET, and reads the answer', async () => {
    const { url, seen } = await github(json(502, { message: 'bad gateway' }), json(200, { login: 'octo', type: 'User' }));
    expect(await commentAuthor(boundedOctokit('t', url, bounds(5_000, 1_000)))).toEqual({ login: 'octo', type: 'User' });
    expect(seen).toEqual(['GET /user', 'GET /user']);
  });

  it('never sends a POST again after a 500 (the comment may have been made)', async () => {
    const { url, seen } = await github(json(500, { message: 'oops' }), json(201, { id: 1, html_url: 'x' }));
    const octokit = boundedOctokit('t', url, bounds(5_000, 1_000));
    const error = await octokit.rest.issues.createComment({ owner: 'o', repo: 'r', issue_number: 1, body: 'b' }).catch((e: unknown) => e);
    expect(httpFailureOf(error)).toMatchObject({ kind: 'status', status: 500 });
    expect((error as Error).message).toBe('POST /repos/o/r/issues/1/comments answered 500');
    expect(seen).toEqual(['POST /repos/o/r/issues/1/comments']);
  });

  it('a 403 on /user is the workflow token, not a failure; a /user answer without a login is', async () => {
    const forbidden = await github(json(403, { message: 'Resource not accessible by integration' }));
    expect(await commentAuthor(boundedOctokit('t', forbidden.url, bounds(5_000, 1_000)))).toBe(WORKFLOW_TOKEN_AUTHOR);
    const odd = await github(json(200, { login: 7 }));
    await expect(commentAuthor(boundedOctokit('t', odd.url, bounds(5_000, 1_000)))).rejects.toThrow(
      'GET /user answered 200 with a body that does not match the API (login: expected string)',
    );
  });
});

// The runner emulator against the hand-written fixture action: inputs, env,
// file commands, state hand-off, masking and the rendered job log.
import { existsSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { envSeen, runFixture } from './helpers.js';

const SECRET = 's3cr3t-value-91';
const SECRET2 = 'second-line-secret-42';

describe('inputs and environment', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  it('passes inputs merged over action.yml defaults as INPUT_<NAME>', async () => {
    const run = await runFixture({ inputs: { who: 'world', 'exit-code': 0 } });
    const env = envSeen(run);
    expect(env.INPUT_WHO).toBe('world');
    expect(env.INPUT_GREETING).toBe('hello'); // default
    expect(env.INPUT_MY_INPUT).toBe('spaced'); // space -> _
    expect(env['INPUT_EXIT-CODE']).toBe('0'); // hyphen kept, number stringified
    expect(env.INPUT_SECRET).toBe(''); // declared, empty default
    expect(env.INPUT_TOKEN).toBe(run.githubToken);
    expect(run.githubToken).toMatch(/^ghs_emulated/);
    expect(run.using).toBe('node24');
    expect(run.main.exitCode).toBe(0);
    expect(run.jobLog).toContain('greeting=hello who=world space=spaced');
  });

  it('uses env.GITHUB_TOKEN for ${{ github.token }} and masks it from the start', async () => {
    const run = await runFixture({ inputs: { who: 'x' }, env: { GITHUB_TOKEN: 'ghs_giventoken123' } });
    expect(envSeen(run).INPUT_TOKEN).toBe('ghs_giventoken123');
    expect(run.jobLog).toContain('token=***');
    expect(run.jobLog).not.toContain('ghs_giventoken123');
  });

  it('warns about undeclared inputs like the runner', async () => {
    const run = await runFixture({ inputs: { who: 'x', bogus: 'y' } });
    expect(run.jobLog).toContain("Warning: Unexpected input(s) 'bogus', valid inputs are [");
    expect(envSeen(run).INPUT_BOGUS).toBe('y');
  });

  it('starts from a clean env: no INPUT_/STATE_/GITHUB_ or proxy vars from the parent', async () => {
    process.env.INPUT_LEAKED = 'leak';
    process.env.STATE_LEAKED = 'leak';
    process.env.GITHUB_LEAKED = 'leak';
    process.env.HTTPS_PROXY = 'http://leak.example:1';
    process.env.SOME_PARENT_VAR = 'leak';
    const run = await runFixture({ inputs: { who: 'x' } });
    const env = envSeen(run);
    for (const k of ['INPUT_LEAKED', 'STATE_LEAKED', 'GITHUB_LEAKED', 'HTTPS_PROXY', 'SOME_PARENT_VAR']) {
      expect(env[k], k).toBeUndefined();
    }
    expect(env.PATH).toBe(process.env.PATH);
    expect(env.CI).toBe('true');
    expect(env.GITHUB_ACTIONS).toBe('true');
    expect(env.GITHUB_REPOSITORY).toBe('acme/infra');
    expect(env.GITHUB_EVENT_NAME).toBe('push');
    expect(env.GITHUB_REF).toBe('refs/heads/main');
    expect(env.GITHUB_SHA).toMatch(/^[0-9a-f]{40}$/);
    expect(env.GITHUB_RUN_ID).toMatch(/^\d+$/);
    expect(env.GITHUB_RUN_ATTEMPT).toBe('1');
    expect(env.RUNNER_OS).toBe('Linux');
    for (const k of ['HOME', 'RUNNER_TEMP', 'GITHUB_WORKSPACE', 'GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_STATE', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY']) {
      expect(env[k]?.startsWith(run.workDir + sep), k).toBe(true);
    }
    expect(env.__CWD).toBe(run.workspace);
    const payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH!, 'utf8'));
    expect(payload.repository.full_name).toBe('acme/infra');
  });

  it('passes proxy variables only when given, and options.env wins over everything', async () => {
    const run = await runFixture({
      inputs: { who: 'x' },
      env: { HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: 'example.test', GITHUB_REPOSITORY: 'other/repo' },
    });
    const env = envSeen(run);
    expect(env.HTTPS_PROXY).toBe('http://127.0.0.1:9');
    expect(env.NO_PROXY).toBe('example.test');
    expect(env.GITHUB_REPOSITORY).toBe('other/repo');
    expect(env.GITHUB_REPOSITORY_OWNER).toBe('other');
  });

  it('writes the event payload and derives refs for pull_request', async () => {
    const run = await runFixture({
      inputs: { who: 'x' },
      event: { name: 'pull_request', payload: { number: 12, pull_request: { number: 12, head: { ref: 'feat', sha: 'a'.repeat(40) }, base: { ref: 'main' } } } },
    });
    const env = envSeen(run);
    expect(env.GITHUB_EVENT_NAME).toBe('pull_request');
    expect(env.GITHUB_REF).toBe('refs/pull/12/merge');
    expect(env.GITHUB_HEAD_REF).toBe('feat');
    expect(env.GITHUB_BASE_REF).toBe('main');
    expect(JSON.parse(readFileSync(env.GITHUB_EVENT_PATH!, 'utf8')).pull_request.head.sha).toBe('a'.repeat(40));
  });
});

describe('file commands and state hand-off', () => {
  it('parses outputs, env, path and summary, including heredocs', async () => {
    const run = await runFixture({ inputs: { who: 'x', secret: SECRET } });
    expect(run.outputs).toEqual({
      plain: 'value=with=equals',
      multi: 'first line\nsecond line',
      empty: '',
      'secret-out': SECRET,
    });
    // NODE_OPTIONS is refused from GITHUB_ENV, as on the runner.
    expect(run.main.exportedEnv).toEqual({ EXPORTED_VAR: 'from-main', MULTI_ENV: 'a\nb' });
    expect(run.jobLog).toContain("Warning: Can't store NODE_OPTIONS");
    expect(run.main.paths).toEqual(['/opt/fixture/bin']);
    expect(run.summary).toContain('## Fixture summary');
    expect(run.summary).toContain(SECRET); // raw file
    expect(run.summaryShown).toContain('secret in summary: ***'); // the runner masks summaries
    expect(run.summary).toContain('post summary');
    expect(run.main.fileCommandErrors).toEqual([]);
  });

  it('hands GITHUB_STATE to post as STATE_*, with fresh file-command files and main exports applied', async () => {
    const run = await runFixture({ inputs: { who: 'x', secret: SECRET } });
    expect(run.state).toEqual({ 'token-path': '/tmp/creds.json', 'secret-copy': SECRET });
    expect(run.post).not.toBeNull();
    const post = run.post!;
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toContain('post got STATE_token-path=/tmp/creds.json');
    expect(post.stdout).toContain(`post got STATE_secret-copy=${SECRET}`);
    expect(post.stdout).toContain('post EXPORTED_VAR=from-main');
    expect(post.stdout).toContain('post PATH starts with /opt/fixture/bin');
    expect(post.files.output).not.toBe(run.main.files.output);
    expect(post.files.state).not.toBe(run.main.files.state);
    expect(post.outputs).toEqual({ 'post-out': '1' });
    expect(run.outputs['post-out']).toBeUndefined();
    const postEnv = envSeen(run, 'post');
    expect(postEnv.INPUT_WHO).toBe('x'); // post gets the inputs too
    expect(postEnv.STATE_LEAKED).toBeUndefined();
  });

  it('reports malformed file commands like the runner and keeps earlier entries', async () => {
    const run = await runFixture({ inputs: { who: 'x', mode: 'bad-file' } });
    expect(run.main.fileCommandErrors).toEqual([{ kind: 'output', message: "Invalid value. Matching delimiter not found 'EOF'" }]);
    expect(run.outputs).toEqual({ ok: '1' });
    expect(run.jobLog).toContain("Error: Unable to process file command 'output' successfully.");
  });

  it('skips post when runPost is false', async () => {
    const run = await runFixture({ inputs: { who: 'x' }, runPost: false });
    expect(run.post).toBeNull();
    expect(run.postSkipped).toBe('runPost is false');
    expect(run.jobLog).not.toContain('Post Run');
  });

  it('runs post after a failing main (post-if: always()) and renders the error', async () => {
    const run = await runFixture({ inputs: { who: 'x', mode: 'fail' } });
    expect(run.exitCode).toBe(1);
    expect(run.post?.exitCode).toBe(0);
    expect(run.jobLog).toContain('Error: the fixture failed\non purpose\n');
    expect(run.annotations[0]).toMatchObject({ level: 'error', message: 'the fixture failed\non purpose', properties: { title: 'Failed' } });
  });
});

describe('job log: masking and commands', () => {
  it('masks values only after ::add-mask::, each line of a multi-line mask, in main and post', async () => {
    const run = await runFixture({ inputs: { who: 'x', secret: `${SECRET}\n${SECRET2}` } });
    const log = run.jobLog;
    expect(run.masks).toEqual([`${SECRET}\n${SECRET2}`]);
    // Printed before the mask was registered: visible, as on GitHub.
    expect(log).toContain(`before mask: ${SECRET}\n${SECRET2}\n`);
    expect(log).toContain('after mask: ***\n***\n');
    expect(log).toContain('line of secret: ***\nline of secret: ***\n');
    expect(log).toContain('post got STATE_secret-copy=***');
    expect(log).not.toContain('::add-mask::');
    const afterMask = log.slice(log.indexOf('after mask'));
    expect(afterMask).not.toContain(SECRET);
    expect(afterMask).not.toContain(SECRET2);
    // Raw bytes keep everything, for secret scans.
    expect(run.main.stdout).toContain(`after mask: ${SECRET}`);
    expect(run.allBytesWritten).toContain(SECRET2);
    expect(run.allBytesWritten).toContain(`secret-out=${SECRET}`);
    expect(run.mask(`x ${SECRET2} y`)).toBe('x *** y');
  });

  it('renders groups, annotations and stop-commands; hides debug by default', async () => {
    const run = await runFixture({ inputs: { who: 'x', secret: SECRET } });
    const log = run.jobLog;
    expect(log).toContain('▸ Step one\n  inside the group\noutside the group\n');
    expect(log).toContain('Error: something broke\nsecond line\n');
    expect(log).toContain('Warning: careful\n');
    expect(log).toContain('Notice: fyi\n');
    expect(log).not.toContain('debug detail');
    // While stopped, commands are plain output; the resume token turns them back on. The token is
    // longer than 6 characters, so the runner masks it (ActionCommandManager.TryProcessCommand).
    expect(log).toContain('::stop-commands::***\n::error::not an error while stopped\n::***::\nWarning: commands resumed\n');
    expect(run.annotations.map((a) => a.message)).not.toContain('not an error while stopped');
    expect(run.annotations.find((a) => a.message.startsWith('something broke'))?.properties).toEqual({ file: 'a.ts', line: '3', title: 'Bad: thing' });
    expect(run.main.stderr).toBe('to stderr\n');
    expect(log).toContain('to stderr\n');
    expect(log.startsWith('▶ Run ./\n')).toBe(true);
    expect(log).toContain('▶ Post Run ./\n');
    const grouped = run.jobLogEntries.find((e) => e.text === 'inside the group');
    expect(grouped).toMatchObject({ group: 'Step one', step: 'main', stream: 'stdout' });
  });

  it('shows ::debug:: with ACTIONS_STEP_DEBUG=true and sets RUNNER_DEBUG', async () => {
    const run = await runFixture({ inputs: { who: 'x' }, env: { ACTIONS_STEP_DEBUG: 'true' } });
    expect(run.jobLog).toContain('Debug: debug detail\n');
    expect(envSeen(run).RUNNER_DEBUG).toBe('1');
  });
});

describe('stdout line timing', () => {
  it('records each stdout line with its arrival time and reports it live', async () => {
    const seen: { line: string; at: number; step: string }[] = [];
    const run = await runFixture({
      inputs: { who: 'x', mode: 'lines', count: 5 },
      onStdoutLine: (line, at, info) => seen.push({ line, at, step: info.step }),
    });
    const lines = run.main.lines.filter((l) => l.text.startsWith('line '));
    expect(lines).toHaveLength(5);
    for (let i = 1; i < lines.length; i++) expect(lines[i]!.at).toBeGreaterThanOrEqual(lines[i - 1]!.at);
    for (const l of lines) {
      expect(l.at).toBeGreaterThan(0);
      expect(l.at).toBeLessThanOrEqual(run.main.durationMs);
      // The child stamps Date.now() when printing; we receive it at or after that.
      const printedAt = Number(l.text.split(' at ')[1]);
      expect(l.atEpochMs).toBeGreaterThanOrEqual(printedAt);
      expect(l.atEpochMs - printedAt).toBeLessThan(1000);
    }
    expect(seen.filter((s) => s.step === 'main' && s.line.startsWith('line '))).toHaveLength(5);
    expect(seen.some((s) => s.step === 'post')).toBe(true);
  });
});

describe('misc', () => {
  it('keeps the work dir until cleanup()', async () => {
    const run = await runFixture({ inputs: { who: 'x' } });
    expect(existsSync(join(run.home))).toBe(true);
    run.cleanup();
    expect(existsSync(run.workDir)).toBe(false);
  });
});

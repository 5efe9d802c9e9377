import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_POLL_TIMING, streamDeploymentLogs, type PollTiming, type StreamOptions } from '../../src/deployment/logs.js';
import type { DeploymentLogsPage, DeploymentRef } from '../../src/cloud/client.js';
import { withRetry, type RetryPolicy } from '../../src/cloud/retry.js';
import { systemClock } from '../../src/runner-io/clock.js';

type Line = NonNullable<DeploymentLogsPage['lines']>[number];

const ref: DeploymentRef = { organization: 'acme', project: 'app', stack: 'dev', id: 'dep-1' };
const FAST: PollTiming = { activeMs: 0, idleStartMs: 0, idleMaxMs: 0, growth: 1.5, statusMs: 0, drainMs: 60_000 };

const page = (lines: Line[] | undefined, nextToken?: string): DeploymentLogsPage => ({ __type: 'DeploymentLogs', lines, nextToken });

/** A sink that keeps every chunk written. */
function arraySink() {
  const chunks: string[] = [];
  return { chunks, write: (chunk: string) => void chunks.push(chunk), text: () => chunks.join('') };
}

/**
 * A stand-in for the logs endpoint: `steps` of lines, served `pageSize` at a time. The token is
 * the offset reached; the last page has no nextToken.
 */
function fakeLogService(steps: { name: string; lines: string[] }[], pageSize: number) {
  const all: Line[] = [];
  for (const step of steps) {
    step.lines.forEach((line, i) => all.push(i === 0 ? { header: step.name, line } : { line }));
  }
  const tokens: (string | undefined)[] = [];
  const fetchPage = vi.fn(async (_ref: DeploymentRef, token: string | undefined): Promise<DeploymentLogsPage> => {
    tokens.push(token);
    const offset = token ? Number(token.replace('offset-', '')) : 0;
    const slice = all.slice(offset, offset + pageSize);
    const end = offset + slice.length;
    return page(slice, end < all.length ? `offset-${end}` : undefined);
  });
  return { all, tokens, fetchPage };
}

/** Removes the group commands and gives the printed lines in order. */
const printedLines = (text: string) =>
  text
    .split('\n')
    .slice(0, -1)
    .filter((l) => !l.startsWith('::group::') && l !== '::endgroup::');

function options(overrides: Partial<StreamOptions> & Pick<StreamOptions, 'fetchPage'>): StreamOptions {
  return { ref, sink: arraySink(), signal: new AbortController().signal, timing: FAST, ...overrides };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('streamDeploymentLogs: groups and order', () => {
  it('opens one group per step header and closes each', async () => {
    const sink = arraySink();
    const service = fakeLogService(
      [
        { name: 'Get source', lines: ['cloning', 'done'] },
        { name: 'Install dependencies', lines: ['npm ci'] },
        { name: 'Pulumi update', lines: ['Updating (dev)', 'Resources: 3 unchanged'] },
      ],
      2,
    );
    const result = await streamDeploymentLogs(options({ fetchPage: service.fetchPage, sink }));
    expect(sink.text()).toBe(
      [
        '::group::Get source',
        'cloning',
        'done',
        '::endgroup::',
        '::group::Install dependencies',
        'npm ci',
        '::endgroup::',
        '::group::Pulumi update',
        'Updating (dev)',
        'Resources: 3 unchanged',
        '::endgroup::',
        '',
      ].join('\n'),
    );
    expect(result).toEqual({
      lines: 5,
      steps: ['Get source', 'Install dependencies', 'Pulumi update'],
      complete: true,
      tail: ['--- Get source', 'cloning', 'done', '--- Install dependencies', 'npm ci', '--- Pulumi update', 'Updating (dev)', 'Resources: 3 unchanged'],
    });
    expect(service.tokens).toEqual([undefined, 'offset-2', 'offset-4']);
  });

  it('writes each page as one chunk', async () => {
    const sink = arraySink();
    const service = fakeLogService([{ name: 'S', lines: ['a', 'b', 'c', 'd', 'e'] }], 2);
    await streamDeploymentLogs(options({ fetchPage: service.fetchPage, sink }));
    expect(sink.chunks).toEqual(['::group::S\na\nb\n', 'c\nd\n', 'e\n', '::endgroup::\n']);
  });

  it('puts a multi-line header on one line and trims it, and handles a header without a line', async () => {
    const sink = arraySink();
    const fetchPage = vi.fn(async () => page([{ header: '  Run\r\nthe program \n' }, { line: 'x' }, { header: 'Next' }]));
    const result = await streamDeploymentLogs(options({ fetchPage, sink }));
    expect(sink.text()).toBe('::group::Run the program\nx\n::endgroup::\n::group::Next\n::endgroup::\n');
    expect(result.steps).toEqual(['  Run\r\nthe program \n', 'Next']);
    expect(result.lines).toBe(1);
  });

  it('strips one trailing newline from each line and keeps inner text as is', async () => {
    const sink = arraySink();
    const fetchPage = vi.fn(async () => page([{ header: 'S', line: 'one\n' }, { line: 'two\r\n' }, { line: '' }, { line: '  three  ' }]));
    const result = await streamDeploymentLogs(options({ fetchPage, sink }));
    expect(sink.text()).toBe('::group::S\none\ntwo\n\n  three  \n::endgroup::\n');
    expect(result.lines).toBe(4);
  });

  it('prints lines that come before any header without a group', async () => {
    const sink = arraySink();
    const fetchPage = vi.fn(async () => page([{ line: 'preamble' }, { header: 'S', line: 'in S' }]));
    await streamDeploymentLogs(options({ fetchPage, sink }));
    expect(sink.text()).toBe('preamble\n::group::S\nin S\n::endgroup::\n');
  });

  it('writes nothing for empty or missing line arrays and finishes on a page without nextToken', async () => {
    const sink = arraySink();
    const pages = [page(undefined, 't1'), page([], 't2'), page(undefined)];
    const fetchPage = vi.fn(async () => pages.shift()!);
    const result = await streamDeploymentLogs(options({ fetchPage, sink }));
    expect(sink.chunks).toEqual([]);
    expect(result).toEqual({ lines: 0, steps: [], complete: true, tail: [] });
    expect(fetchPage).toHaveBeenCalledTimes(3);
  });

  it('passes the ref and signal to fetchPage and reports each page to onPage', async () => {
    const controller = new AbortController();
    const service = fakeLogService([{ name: 'S', lines: ['1', '2', '3'] }], 2);
    const onPage = vi.fn();
    await streamDeploymentLogs(options({ fetchPage: service.fetchPage, signal: controller.signal, onPage }));
    expect(service.fetchPage.mock.calls).toEqual([
      [ref, undefined, controller.signal],
      [ref, 'offset-2', controller.signal],
    ]);
    expect(onPage.mock.calls).toEqual([[{ lines: 2, nextToken: 'offset-2' }], [{ lines: 1, nextToken: undefined }]]);
  });

  it('delivers thousands of lines complete, in order, each once', async () => {
    const steps = [
      { name: 'Get source', lines: Array.from({ length: 37 }, (_, i) => `source ${i}`) },
      { name: 'Install dependencies', lines: Array.from({ length: 1_500 }, (_, i) => `install ${i}`) },
      { name: 'Pulumi update', lines: Array.from({ length: 3_463 }, (_, i) => `update ${i}`) },
    ];
    const sink = arraySink();
    const service = fakeLogService(steps, 200);
    const result = await streamDeploymentLogs(options({ fetchPage: service.fetchPage, sink }));
    const expected = steps.flatMap((s) => s.lines);
    expect(expected).toHaveLength(5_000);
    expect(printedLines(sink.text())).toEqual(expected);
    expect(result.lines).toBe(5_000);
    expect(result.steps).toEqual(['Get source', 'Install dependencies', 'Pulumi update']);
    expect(result.complete).toBe(true);
    expect(service.fetchPage).toHaveBeenCalledTimes(25);
    const text = sink.text();
    expect(text.match(/^::group::/gm)).toHaveLength(3);
    expect(text.match(/^::endgroup::$/gm)).toHaveLength(3);
  });
});

describe('streamDeploymentLogs: failures and retries', () => {
  const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1, maxElapsedMs: 60_000 };
  const transient = () => Object.assign(new Error('GET /logs answered 503'), { retryable: true });

  it('re-asks with the same continuation token after a failure the caller retries: nothing lost or repeated', async () => {
    const steps = [
      { name: 'A', lines: Array.from({ length: 450 }, (_, i) => `a ${i}`) },
      { name: 'B', lines: Array.from({ length: 450 }, (_, i) => `b ${i}`) },
    ];
    const service = fakeLogService(steps, 100);
    const asked: (string | undefined)[] = [];
    let calls = 0;
    const failOn = new Set([1, 4, 5, 9]); // the first call, and twice in a row later
    const flaky = async (r: DeploymentRef, token: string | undefined, _signal: AbortSignal) => {
      calls++;
      asked.push(token);
      if (failOn.has(calls)) throw transient();
      return service.fetchPage(r, token);
    };
    const sink = arraySink();
    const result = await streamDeploymentLogs(
      options({
        fetchPage: (r, token, signal) =>
          withRetry(() => flaky(r, token, signal), policy, {
            classify: (e) => ({ retry: (e as { retryable?: boolean }).retryable === true, reason: 'test' }),
            sleep: async () => {},
            signal,
          }),
        sink,
      }),
    );
    expect(asked).toEqual([
      undefined, // fails
      undefined,
      'offset-100',
      'offset-200', // fails
      'offset-200', // fails
      'offset-200',
      'offset-300',
      'offset-400',
      'offset-500', // fails
      'offset-500',
      'offset-600',
      'offset-700',
      'offset-800',
    ]);
    expect(printedLines(sink.text())).toEqual(steps.flatMap((s) => s.lines));
    expect(result.lines).toBe(900);
    expect(result.complete).toBe(true);
  });

  it('lets a failure the caller does not retry escape, after closing the open group', async () => {
    const sink = arraySink();
    let calls = 0;
    const fetchPage = vi.fn(async () => {
      if (++calls === 2) throw new Error('GET /logs answered 404');
      return page([{ header: 'S', line: 'first' }], 't1');
    });
    await expect(streamDeploymentLogs(options({ fetchPage, sink }))).rejects.toThrow('GET /logs answered 404');
    expect(sink.text()).toBe('::group::S\nfirst\n::endgroup::\n');
  });
});

describe('streamDeploymentLogs: workflow commands in log lines', () => {
  it('wraps lines containing :: in ::stop-commands::TOKEN ... ::TOKEN::', async () => {
    const sink = arraySink();
    const fetchPage = vi.fn(async () =>
      page([
        { header: 'Step 1', line: 'plain' },
        { line: '::add-mask::not-a-secret' },
        { line: 'after (still paused)' },
        { line: 'echo ::set-output name=x::y' },
        { header: 'Step 2', line: 'clean' },
        { line: 'a::b' },
      ]),
    );
    await streamDeploymentLogs(options({ fetchPage, sink }));
    const text = sink.text();
    const guards = [...text.matchAll(/^::stop-commands::(.+)$/gm)].map((m) => m[1]!);
    expect(guards).toHaveLength(2);
    for (const g of guards) expect(g).toMatch(/^pulumi-log-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(guards[0]).not.toBe(guards[1]);
    expect(text).toBe(
      [
        '::group::Step 1',
        'plain',
        `::stop-commands::${guards[0]}`,
        '::add-mask::not-a-secret',
        'after (still paused)',
        'echo ::set-output name=x::y',
        `::${guards[0]}::`,
        '::endgroup::',
        '::group::Step 2',
        'clean',
        `::stop-commands::${guards[1]}`,
        'a::b',
        `::${guards[1]}::`,
        '::endgroup::',
        '',
      ].join('\n'),
    );
  });

  it('resumes commands at the end of every page, so the next page starts unguarded', async () => {
    const sink = arraySink();
    const pages = [page([{ header: 'S', line: '::endgroup::' }], 't1'), page([{ line: 'ok' }, { line: '::error::x' }])];
    const fetchPage = vi.fn(async () => pages.shift()!);
    await streamDeploymentLogs(options({ fetchPage, sink }));
    const [first, second, close] = sink.chunks;
    const g1 = /::stop-commands::(\S+)/.exec(first!)![1];
    const g2 = /::stop-commands::(\S+)/.exec(second!)![1];
    expect(first).toBe(`::group::S\n::stop-commands::${g1}\n::endgroup::\n::${g1}::\n`);
    expect(second).toBe(`ok\n::stop-commands::${g2}\n::error::x\n::${g2}::\n`);
    expect(close).toBe('::endgroup::\n');
    expect(g1).not.toBe(g2);
  });

  it('does not guard lines with a single colon', async () => {
    const sink = arraySink();
    const fetchPage = vi.fn(async () => page([{ header: 'S', line: 'http://x: y' }]));
    await streamDeploymentLogs(options({ fetchPage, sink }));
    expect(sink.text()).toBe('::group::S\nhttp://x: y\n::endgroup::\n');
  });
});

describe('streamDeploymentLogs: polling timing', () => {
  it('backs off while idle up to idleMaxMs, and goes back to activeMs when lines arrive', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const timing: PollTiming = { activeMs: 2, idleStartMs: 4, idleMaxMs: 20, growth: 2, statusMs: 10_000, drainMs: 60_000 };
    const script = [
      page([{ header: 'S', line: '1' }], 't1'),
      page([], 't1'),
      page([], 't1'),
      page([], 't1'),
      page([], 't1'),
      page([], 't1'),
      page([{ line: '2' }], 't2'),
      page([], 't2'),
      page([], 't2'),
      page([{ line: '3' }]),
    ];
    const at: number[] = [];
    const fetchPage = vi.fn(async () => {
      at.push(Date.now());
      return script.shift()!;
    });
    const sink = arraySink();
    const done = streamDeploymentLogs(options({ fetchPage, sink, timing }));
    await vi.runAllTimersAsync();
    const result = await done;
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    // lines -> 2; idle 4, 8, 16, 20 (cap), 20; lines -> 2; idle starts again at 4, 8.
    expect(gaps).toEqual([2, 4, 8, 16, 20, 20, 2, 4, 8]);
    expect(result.lines).toBe(3);
    expect(printedLines(sink.text())).toEqual(['1', '2', '3']);
  });

  it('asks again at once after a full page (>= 50 lines and as large as any seen), else waits activeMs', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const timing: PollTiming = { activeMs: 3, idleStartMs: 7, idleMaxMs: 7, growth: 2, statusMs: 10_000, drainMs: 60_000 };
    const lines = (n: number): Line[] => Array.from({ length: n }, (_, i) => ({ line: `l${i}` }));
    const script = [
      page(lines(49), 't1'), // under 50: not full
      page(lines(200), 't2'), // full
      page(lines(200), 't3'), // full again
      page(lines(120), 't4'), // smaller than the largest: the end of the backlog
      page(lines(200), 't5'), // full
      page([], 't5'),
      page(lines(50)), // done
    ];
    const at: number[] = [];
    const fetchPage = vi.fn(async () => {
      at.push(Date.now());
      return script.shift()!;
    });
    const done = streamDeploymentLogs(options({ fetchPage, timing }));
    await vi.runAllTimersAsync();
    const result = await done;
    expect(at.slice(1).map((t, i) => t - at[i]!)).toEqual([3, 0, 0, 3, 0, 7]);
    expect(result.lines).toBe(819);
  });

  it('waits for real with tiny timings', async () => {
    const timing: PollTiming = { activeMs: 1, idleStartMs: 5, idleMaxMs: 10, growth: 2, statusMs: 10_000, drainMs: 60_000 };
    const script = [page([{ line: 'a' }], 't'), page([], 't'), page([], 't'), page([], 't'), page([{ line: 'b' }])];
    const at: number[] = [];
    const fetchPage = vi.fn(async () => {
      at.push(performance.now());
      return script.shift()!;
    });
    await streamDeploymentLogs(options({ fetchPage, timing }));
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    const expected = [1, 5, 10, 10];
    gaps.forEach((g, i) => expect(g).toBeGreaterThanOrEqual(expected[i]! - 1));
    expect(fetchPage).toHaveBeenCalledTimes(5);
  });

  it('defaults to 1 s active, 1 s idle growing by 1.5 to 5 s, the status every 10 s while streaming', () => {
    expect(DEFAULT_POLL_TIMING).toEqual({ activeMs: 1_000, idleStartMs: 1_000, idleMaxMs: 5_000, growth: 1.5, statusMs: 10_000, drainMs: 60_000 });
  });

  it('uses the default timing when none is given', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const script = [page([{ line: 'a' }], 't'), page([], 't'), page([], 't'), page([], 't'), page([], 't'), page([], 't'), page([])];
    const at: number[] = [];
    const fetchPage = vi.fn(async () => {
      at.push(Date.now());
      return script.shift()!;
    });
    const done = streamDeploymentLogs({ fetchPage, ref, sink: arraySink(), signal: new AbortController().signal });
    await vi.runAllTimersAsync();
    await done;
    expect(at.slice(1).map((t, i) => t - at[i]!)).toEqual([1_000, 1_000, 1_500, 2_250, 3_375, 5_000]);
  });
});

describe('streamDeploymentLogs: abort', () => {
  it('does not fetch when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const fetchPage = vi.fn(async () => page([{ line: 'x' }]));
    const sink = arraySink();
    const result = await streamDeploymentLogs(options({ fetchPage, sink, signal: controller.signal }));
    expect(fetchPage).not.toHaveBeenCalled();
    expect(sink.chunks).toEqual([]);
    expect(result).toEqual({ lines: 0, steps: [], complete: false, tail: [] });
  });

  it('stops after the page in flight, prints it, closes the group and says it is not complete', async () => {
    const controller = new AbortController();
    let calls = 0;
    const fetchPage = vi.fn(async () => {
      calls++;
      if (calls === 3) controller.abort();
      return page([{ ...(calls === 1 ? { header: 'S' } : {}), line: `line ${calls}` }], `t${calls}`);
    });
    const sink = arraySink();
    const result = await streamDeploymentLogs(options({ fetchPage, sink, signal: controller.signal }));
    expect(fetchPage).toHaveBeenCalledTimes(3);
    expect(sink.text()).toBe('::group::S\nline 1\nline 2\nline 3\n::endgroup::\n');
    expect(result).toEqual({ lines: 3, steps: ['S'], complete: false, tail: ['--- S', 'line 1', 'line 2', 'line 3'] });
  });

  it('ends a long idle wait at once when aborted', async () => {
    const controller = new AbortController();
    const fetchPage = vi.fn(async () => page([], 't'));
    const started = performance.now();
    setTimeout(() => controller.abort(), 20);
    const result = await streamDeploymentLogs(
      options({ fetchPage, signal: controller.signal, timing: { activeMs: 60_000, idleStartMs: 60_000, idleMaxMs: 60_000, growth: 1, statusMs: 10_000, drainMs: 60_000 } }),
    );
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(fetchPage).toHaveBeenCalledTimes(1);
    expect(result.complete).toBe(false);
  });
});

describe('streamDeploymentLogs: tail', () => {
  it('keeps only the last N lines, headers as "--- name", without trailing newlines', async () => {
    const service = fakeLogService(
      [
        { name: 'A', lines: ['a1\n', 'a2', 'a3', 'a4'] },
        { name: 'B', lines: ['b1', 'b2\r\n', 'b3'] },
      ],
      3,
    );
    const result = await streamDeploymentLogs(options({ fetchPage: service.fetchPage, tailLines: 5 }));
    expect(result.tail).toEqual(['a4', '--- B', 'b1', 'b2', 'b3']);
    expect(result.lines).toBe(7);
  });

  it('keeps 200 lines by default', async () => {
    const lines = Array.from({ length: 1_000 }, (_, i) => `l${i}`);
    const service = fakeLogService([{ name: 'S', lines }], 333);
    const result = await streamDeploymentLogs(options({ fetchPage: service.fetchPage }));
    expect(result.tail).toEqual(lines.slice(800));
  });

  it('keeps every line when there are fewer than N', async () => {
    const service = fakeLogService([{ name: 'S', lines: ['x', 'y'] }], 10);
    const result = await streamDeploymentLogs(options({ fetchPage: service.fetchPage, tailLines: 50 }));
    expect(result.tail).toEqual(['--- S', 'x', 'y']);
  });
});

describe('streamDeploymentLogs: deployment text never acts as a command', () => {
  /** The lines the runner would see: split on \n and on a bare \r (actions/runner splits both). */
  const runnerLines = (text: string) => text.split(/\r\n|\n|\r/);

  it.each([
    ['a legacy command mid-line', 'x ##[add-mask]secret'],
    ['a command after a bare \\r', 'spinner\r::add-mask::secret'],
    ['a legacy stop-commands', '##[stop-commands]tok'],
    ['a command after leading spaces', '   ::error::pwned'],
  ])('guards %s: stop-commands opens before it and closes after it', async (_, hostile) => {
    const sink = arraySink();
    await streamDeploymentLogs(options({ fetchPage: async () => page([{ header: 'S', line: 'safe' }, { line: hostile }, { line: 'after' }]), sink }));
    const lines = runnerLines(sink.text());
    const open = lines.findIndex((l) => l.startsWith('::stop-commands::pulumi-log-'));
    const token = lines[open]!.slice('::stop-commands::'.length);
    const close = lines.indexOf(`::${token}::`);
    const hostileAt = lines.findIndex((l) => /##\[|^\s*::(add-mask|error|stop-commands)/.test(l) && !l.includes('pulumi-log-'));
    expect(open).toBeGreaterThan(lines.indexOf('::group::S'));
    expect(open).toBeLessThan(hostileAt);
    expect(close).toBeGreaterThan(hostileAt);
    // Nothing of ours is written while the guard is open.
    expect(lines.slice(open + 1, close).some((l) => l.startsWith('::group::') || l === '::endgroup::')).toBe(false);
  });

  it('redacts deployment lines one by one and never touches its own commands', async () => {
    const sink = arraySink();
    // A two-letter secret that occurs in our command words ("stop-commands", "endgroup", "group").
    const redact = (line: string) => line.split('ou').join('***');
    await streamDeploymentLogs(
      options({
        fetchPage: async () =>
          page([
            { header: 'Group out', line: 'you ::x' },
            { header: 'Next', line: 'ok' },
          ]),
        sink,
        redact,
      }),
    );
    const text = sink.text();
    expect(text).toContain('::group::Gr***p ***t\n');
    expect(text).toContain('::stop-commands::pulumi-log-');
    expect(text).toContain('y*** ::x\n');
    expect(text).toMatch(/::endgroup::\n::group::Next\n/);
  });

  it('a step name cannot carry a command into our group header', async () => {
    const sink = arraySink();
    await streamDeploymentLogs(options({ fetchPage: async () => page([{ header: 'a\r::add-mask::x ##[stop-commands]y\u2028z', line: 'l' }]), sink }));
    const header = runnerLines(sink.text())[0]!;
    expect(header.startsWith('::group::')).toBe(true);
    expect(header.slice('::group::'.length)).not.toMatch(/::|##\[/);
    expect(runnerLines(sink.text())[1]).toBe('l');
  });
});

describe('streamDeploymentLogs: after the deployment ended', () => {
  it('stops at the first page with no new lines, even if nextToken keeps coming', async () => {
    let n = 0;
    const fetchPage = vi.fn(async () => (++n <= 2 ? page([{ line: `l${n}` }], `t${n}`) : page([], `t${n}`)));
    const result = await streamDeploymentLogs(options({ fetchPage, finished: () => true }));
    expect(fetchPage).toHaveBeenCalledTimes(3);
    expect(result.lines).toBe(2);
  });

  it('stops when the drain budget has passed and lines and tokens never end', async () => {
    let n = 0;
    let t = 0;
    // Each page takes a second of the (injected) clock; the budget is a minute.
    const fetchPage = vi.fn(async () => {
      t += 1_000;
      return page([{ line: `l${++n}` }], `t${n}`);
    });
    const result = await streamDeploymentLogs(
      options({ fetchPage, finished: () => true, clock: { now: () => t, sleep: systemClock.sleep }, timing: { ...FAST, drainMs: 60_000 } }),
    );
    expect(fetchPage).toHaveBeenCalledTimes(60);
    expect(result).toMatchObject({ complete: false, cutAfterEnd: true });
  });

  it('prints a whole backlog after the end while it fits the budget', async () => {
    let n = 0;
    const fetchPage = vi.fn(async () => (++n < 500 ? page([{ line: `l${n}` }], `t${n}`) : page([], `t${n}`)));
    const result = await streamDeploymentLogs(options({ fetchPage, finished: () => true, clock: { now: () => 0, sleep: systemClock.sleep } }));
    expect(result.lines).toBe(499);
    expect(result.cutAfterEnd).toBe(false);
  });

  it('keeps streaming while the deployment runs', async () => {
    let n = 0;
    const fetchPage = vi.fn(async () => (++n < 80 ? page([{ line: `l${n}` }], `t${n}`) : page([{ line: 'last' }])));
    const result = await streamDeploymentLogs(options({ fetchPage, finished: () => false }));
    expect(result.lines).toBe(80);
    expect(result.complete).toBe(true);
  });
});

describe("streamDeploymentLogs: the action's own lines stay outside step groups", () => {
  it("closes the open group for a notice, and the step's next lines reopen it as continued", async () => {
    const sink = arraySink();
    let closeGroup: () => void = () => {};
    let n = 0;
    const fetchPage = async () => {
      n++;
      if (n === 2) {
        closeGroup();
        sink.write('our notice\n');
      }
      return n === 1 ? page([{ header: 'Update', line: 'a' }], 't1') : n === 2 ? page([{ line: 'b' }], 't2') : page([{ header: 'Next', line: 'c' }]);
    };
    await streamDeploymentLogs(options({ fetchPage, sink, onGroupCloser: (close) => (closeGroup = close) }));
    expect(sink.text()).toBe('::group::Update\na\n::endgroup::\nour notice\n::group::Update (continued)\nb\n::endgroup::\n::group::Next\nc\n::endgroup::\n');
  });
});

describe('streamDeploymentLogs: backpressure', () => {
  it('asks for the next page only once the sink took the last one', async () => {
    const events: string[] = [];
    let release: () => void = () => {};
    let n = 0;
    const fetchPage = async () => {
      events.push(`fetch ${++n}`);
      return n < 3 ? page([{ line: `l${n}` }], `t${n}`) : page([{ line: 'last' }]);
    };
    const sink = {
      write: (chunk: string) => {
        events.push(`write ${chunk.trim()}`);
        if (chunk.includes('l1')) return new Promise<void>((resolve) => (release = resolve));
        return undefined;
      },
    };
    const streaming = streamDeploymentLogs(options({ fetchPage, sink }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events).toEqual(['fetch 1', 'write l1']);
    release();
    await streaming;
    expect(events).toEqual(['fetch 1', 'write l1', 'fetch 2', 'write l2', 'fetch 3', 'write last']);
  });
});

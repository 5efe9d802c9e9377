// Runs one step (`node <script>`) as a child process, reads its output
// incrementally (line by line, timestamped), and cancels it the way the
// Actions runner does: SIGINT, 7.5 s, SIGTERM, 2.5 s, SIGKILL.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export const CANCEL_GRACE_MS = Object.freeze({ sigint: 7500, sigterm: 2500 });

/** Accepts `{sigint, sigterm}`, `[sigint, sigterm]` or nothing. */
export function normalizeGrace(grace) {
  if (grace == null) return { ...CANCEL_GRACE_MS };
  if (Array.isArray(grace)) return { sigint: grace[0] ?? CANCEL_GRACE_MS.sigint, sigterm: grace[1] ?? CANCEL_GRACE_MS.sigterm };
  if (typeof grace === 'number') return { sigint: grace, sigterm: grace };
  return { sigint: grace.sigint ?? CANCEL_GRACE_MS.sigint, sigterm: grace.sigterm ?? CANCEL_GRACE_MS.sigterm };
}

/**
 * Splits text into lines as chunks arrive, like .NET StreamReader.ReadLine, which the runner's
 * ProcessInvoker.StartReadStream uses: `\r\n`, `\n` and a lone `\r` each end a line (a `\r\n`
 * split across chunks is one break); a last line without a terminator still counts.
 */
export function createLineSplitter(onLine) {
  let partial = '';
  let afterCR = false;
  return {
    push(chunk) {
      let text = chunk;
      if (afterCR && text.startsWith('\n')) text = text.slice(1);
      afterCR = false;
      if (text === '') return;
      const parts = (partial + text).split(/\r\n|\r|\n/);
      partial = parts.pop();
      afterCR = text.endsWith('\r');
      for (const p of parts) onLine(p);
    },
    end() {
      if (partial !== '') onLine(partial);
      partial = '';
    },
  };
}

function readLines(stream, onChunk, onLine) {
  stream.setEncoding('utf8');
  const splitter = createLineSplitter(onLine);
  stream.on('data', (chunk) => {
    onChunk(chunk);
    splitter.push(chunk);
    onChunk.after?.();
  });
  return new Promise((resolve) => {
    stream.on('end', () => {
      splitter.end();
      resolve();
    });
    stream.on('error', () => resolve());
  });
}

/**
 * A handle to cancel a running step from outside (the CLI's Ctrl-C). cancel() starts the runner's
 * schedule (SIGINT, grace, SIGTERM, grace, SIGKILL) on the main step; escalate() skips to the next
 * signal of whichever step is running (and starts cancelling a post step).
 */
export function createCanceller() {
  const listeners = new Set();
  let requested = false;
  return {
    get requested() {
      return requested;
    },
    cancel() {
      requested = true;
      for (const l of [...listeners]) l('cancel');
    },
    escalate() {
      for (const l of [...listeners]) l('escalate');
    },
    /** @internal used by runStep */
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}

/**
 * @param {object} o
 * @param {string} o.node         node binary
 * @param {string} o.script       absolute path of the entry script
 * @param {Record<string,string>} o.env
 * @param {string} o.cwd
 * @param {(stream: 'stdout'|'stderr', text: string, at: number, atEpochMs: number) => void} [o.onLine]
 * @param {number} [o.cancelAfterMs]
 * @param {(stdoutSoFar: string) => boolean} [o.cancelWhen]
 * @param {{sigint: number, sigterm: number}} [o.grace]
 * @param {number} [o.timeoutMs]  safety net: SIGKILL after this long
 * @param {ReturnType<typeof createCanceller>} [o.canceller]
 * @param {boolean} [o.detached] run in its own process group
 * @param {boolean} [o.onlyEscalate] react to canceller.escalate() only (post steps run despite a cancel)
 */
export async function runStep(o) {
  const grace = normalizeGrace(o.grace);
  const result = {
    started: false,
    spawnError: null,
    pid: undefined,
    exitCode: null,
    signal: null,
    stdout: '',
    stderr: '',
    durationMs: 0,
    startedAtEpochMs: Date.now(),
    /** stdout lines with arrival time: `at` ms since spawn (performance.now based), `atEpochMs` wall clock */
    lines: [],
    cancelledAt: null,
    cancelReason: null,
    signals: [],
    exitedAt: null,
    timedOut: false,
  };
  const t0 = performance.now();
  const now = () => performance.now() - t0;

  let child;
  try {
    // detached: its own process group, so a terminal's Ctrl-C reaches only the CLI, which then
    // signals the step the way the runner does.
    child = spawn(o.node, [o.script], { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'], detached: o.detached === true });
  } catch (err) {
    result.spawnError = err;
    return result;
  }
  const spawned = await new Promise((resolve) => {
    child.once('spawn', () => resolve(true));
    child.once('error', (err) => {
      result.spawnError = err;
      resolve(false);
    });
  });
  if (!spawned) return result;
  result.started = true;
  result.pid = child.pid;

  let exited = false;
  const timers = [];
  const cancelTimers = []; // the signal schedule only, so skipping ahead keeps the timeoutMs net
  const send = (signal) => {
    if (exited) return;
    result.signals.push({ signal, at: now() });
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  };
  const cancel = (reason) => {
    if (result.cancelledAt !== null || exited) return;
    result.cancelledAt = now();
    result.cancelReason = reason;
    send('SIGINT');
    cancelTimers.push(
      setTimeout(() => {
        if (exited) return;
        send('SIGTERM');
        cancelTimers.push(setTimeout(() => send('SIGKILL'), grace.sigterm));
      }, grace.sigint),
    );
  };

  // Skip ahead: SIGINT now if nothing was sent yet, else the next signal at once.
  const escalate = () => {
    if (exited) return;
    if (result.cancelledAt === null) {
      cancel('canceller');
      return;
    }
    for (const t of cancelTimers.splice(0)) clearTimeout(t);
    const sent = result.signals.map((s) => s.signal);
    if (sent.includes('SIGTERM')) {
      send('SIGKILL');
      return;
    }
    send('SIGTERM');
    cancelTimers.push(setTimeout(() => send('SIGKILL'), grace.sigterm));
  };
  let unsubscribe = () => {};
  if (o.canceller) {
    unsubscribe = o.canceller.subscribe((event) => {
      if (event === 'escalate') escalate();
      else if (!o.onlyEscalate) cancel('canceller');
    });
    if (o.canceller.requested && !o.onlyEscalate) cancel('canceller');
  }

  const exitPromise = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      result.exitedAt = now();
      result.exitCode = code;
      result.signal = signal;
      for (const t of [...timers, ...cancelTimers]) clearTimeout(t);
      resolve();
    });
  });

  if (o.cancelAfterMs != null) timers.push(setTimeout(() => cancel('cancelAfterMs'), o.cancelAfterMs));
  if (o.timeoutMs != null) {
    timers.push(
      setTimeout(() => {
        if (exited) return;
        result.timedOut = true;
        send('SIGKILL');
      }, o.timeoutMs),
    );
  }

  const emit = (stream, text) => {
    const at = now();
    const atEpochMs = Date.now();
    if (stream === 'stdout') result.lines.push({ text, at, atEpochMs });
    o.onLine?.(stream, text, at, atEpochMs);
  };
  const onStdoutChunk = (chunk) => {
    result.stdout += chunk;
  };
  // Checked once per chunk, after its lines were handled, so cancelWhen sees them.
  onStdoutChunk.after = () => {
    if (o.cancelWhen && result.cancelledAt === null && !exited) {
      let hit;
      try {
        hit = Boolean(o.cancelWhen(result.stdout));
      } catch {
        hit = false;
      }
      if (hit) cancel('cancelWhen');
    }
  };
  const outDone = readLines(child.stdout, onStdoutChunk, (l) => emit('stdout', l));
  const errDone = readLines(
    child.stderr,
    (c) => {
      result.stderr += c;
    },
    (l) => emit('stderr', l),
  );

  await exitPromise;
  // A grandchild may keep the pipes open; don't wait for it forever.
  let pipeTimer;
  await Promise.race([
    Promise.all([outDone, errDone]),
    new Promise((r) => {
      pipeTimer = setTimeout(r, 2000);
    }),
  ]);
  clearTimeout(pipeTimer);
  child.stdout.destroy();
  child.stderr.destroy();
  for (const t of [...timers, ...cancelTimers]) clearTimeout(t);
  unsubscribe();
  result.durationMs = now();
  return result;
}

// Shared by the runner CLI and `npm run try`: Ctrl-C handling like the runner's cancellation,
// and the end-of-run report (outputs, exported env, summary), always masked.
import { CANCEL_GRACE_MS, createCanceller, normalizeGrace } from './step-process.mjs';

const seconds = (ms) => `${(ms / 1000).toString()} s`;

/**
 * First Ctrl-C (SIGINT or SIGTERM to this process): cancel the main step as the runner does
 * (SIGINT, then SIGTERM and SIGKILL after the grace periods); post still runs. Each further
 * Ctrl-C skips to the next signal of the running step. Returns the canceller and an uninstall().
 */
export function installCtrlC({ grace = CANCEL_GRACE_MS, write = (s) => process.stderr.write(s) } = {}) {
  const canceller = createCanceller();
  const g = normalizeGrace(grace);
  let presses = 0;
  const onSignal = (signal) => {
    presses += 1;
    if (presses === 1) {
      write(
        `\n[runner] ${signal}: cancelling. SIGINT sent to the step; SIGTERM after ${seconds(g.sigint)}, SIGKILL ${seconds(g.sigterm)} later. ` +
          'Post still runs (post-if: always()). Press Ctrl-C again to skip ahead.\n',
      );
      canceller.cancel();
    } else {
      write(`\n[runner] ${signal} again: skipping ahead to the next signal.\n`);
      canceller.escalate();
    }
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    canceller,
    uninstall() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}

function show(value) {
  return /[\r\n]/.test(value) ? JSON.stringify(value) : value;
}

/** Prints outputs, exported env and the job summary as GitHub would show them (masked). */
export function printReport(run, write = (s) => process.stdout.write(s)) {
  const section = (title, obj) => {
    const keys = Object.keys(obj);
    write(`\n── ${title} (${keys.length}) ──\n`);
    for (const k of keys) write(`${k}=${run.mask(show(obj[k]))}\n`);
  };
  section('outputs', run.outputs);
  section('exported env', run.exportedEnv);
  if (run.summaryShown) write(`\n── job summary ──\n${run.summaryShown}`);
  const code = (s) => (s ? (s.exitCode ?? s.signal) : 'not run');
  write(`\nmain exit code: ${code(run.main)}${run.cancelled ? ' (cancelled)' : ''}, post: ${run.post ? code(run.post) : `skipped (${run.postSkipped})`}\n`);
}

/** The CLI's exit code: 130 when cancelled (as a shell reports Ctrl-C), else main's code (1 if it died). */
export function exitCodeOf(run) {
  if (run.cancelled) return 130;
  return run.main.timedOut || run.main.exitCode === null ? 1 : run.main.exitCode;
}

import * as core from '@actions/core';

export type AnnotationProperties = core.AnnotationProperties;

/**
 * The job log, passed in. The action's own lines while a deployment streams (retries, token
 * refresh, progress) must not look like deployment output: the log stream says how to close the
 * open step group, and every own line closes it first. Every text handed in is already safe for
 * the log (sanitised and redacted by whoever built it).
 */
export interface Log {
  info(message: string): void;
  warning(message: string, properties?: AnnotationProperties): void;
  error(message: string, properties?: AnnotationProperties): void;
  /** Present only when the runner shows debug lines (ACTIONS_STEP_DEBUG): callers build no line otherwise. */
  debug?: (message: string) => void;
  /** One group of the action's own lines. */
  group(title: string, lines: string[]): void;
  /** The deployment's own log, as the log stream built it; resolves when the job log can take more. */
  write(chunk: string): void | Promise<void>;
  /** While the deployment's log streams: how to close its open step group, if any (undefined once it ends). */
  closeGroupWith(close: (() => void) | undefined): void;
}

/** The runner's job log: workflow commands through @actions/core, the deployment's log to stdout. */
export function runnerLog(): Log {
  let closeGroup: (() => void) | undefined;
  const ownLine = () => closeGroup?.();
  return {
    info: (message) => (ownLine(), core.info(message)),
    warning: (message, properties) => (ownLine(), core.warning(message, properties)),
    error: (message, properties) => (ownLine(), core.error(message, properties)),
    // core.debug always writes its command; the runner shows it only with debug logging on.
    debug: core.isDebug() ? (message) => core.debug(message) : undefined,
    group: (title, lines) => {
      ownLine();
      core.startGroup(title);
      for (const line of lines) core.info(line);
      core.endGroup();
    },
    // stdout to a pipe buffers without limit when the reader is slow: wait for it to drain.
    write: (chunk) => (process.stdout.write(chunk) ? undefined : new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()))),
    closeGroupWith: (close) => (closeGroup = close),
  };
}

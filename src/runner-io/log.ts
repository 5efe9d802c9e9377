import * as core from '@actions/core';

/**
 * The action's own lines while a deployment streams (retries, token refresh, progress) must not
 * look like deployment output: the log stream registers how to close the open step group, and
 * every notice closes it first.
 */
let beforeOwnLine: (() => void) | undefined;

export function onOwnLine(close: (() => void) | undefined): void {
  beforeOwnLine = close;
}

export function notice(message: string): void {
  beforeOwnLine?.();
  core.info(message);
}

export function warn(message: string, properties?: core.AnnotationProperties): void {
  beforeOwnLine?.();
  core.warning(message, properties);
}

export function error(message: string, properties?: core.AnnotationProperties): void {
  beforeOwnLine?.();
  core.error(message, properties);
}

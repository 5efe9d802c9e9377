import { sanitizeLine } from '../untrusted-text.js';
import type { UpdateInfo } from '../pulumi-client.js';

export interface ResourceChanges {
  create: number;
  update: number;
  delete: number;
  replace: number;
  same: number;
  /** Other kinds the engine reports (import, read, discard...), kept as given. */
  [kind: string]: number;
}

/** Kinds that do not change anything. */
const NO_CHANGE = ['same', 'read', 'refresh'];

/** Resource change counts of the deployment's last update (the one its verdict is about). */
export function resourceChanges(updates: UpdateInfo[]): ResourceChanges | undefined {
  const last = latestUpdate(updates);
  const raw = last?.info.resourceChanges;
  if (!raw) return undefined;
  // Null prototype: kinds are the service's words, so `constructor` or `__proto__` is a plain kind.
  const counts: ResourceChanges = Object.assign(Object.create(null) as ResourceChanges, { create: 0, update: 0, delete: 0, replace: 0, same: 0 });
  for (const [kind, count] of Object.entries(raw)) {
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) continue;
    // create-replacement and delete-replaced describe one replace; count it once.
    if (kind === 'create-replacement' || kind === 'delete-replaced' || kind === 'discard-replaced') {
      if (raw.replace === undefined) counts.replace = Math.max(counts.replace, count);
      continue;
    }
    counts[kind] = (counts[kind] ?? 0) + count;
  }
  return counts;
}

export function hasChanges(changes: ResourceChanges | undefined): boolean {
  return !!changes && Object.entries(changes).some(([kind, count]) => !NO_CHANGE.includes(kind) && count > 0);
}

export function describeChanges(changes: ResourceChanges): string {
  const parts = Object.entries(changes)
    .filter(([kind, count]) => count > 0 && !NO_CHANGE.includes(kind))
    // Kinds are the service's words: kept (an unknown kind still counts as a change), made safe to print.
    .map(([kind, count]) => `${count} to ${sanitizeLine(kind, 40)}`);
  return parts.length ? parts.join(', ') : 'no changes';
}

export function latestUpdate(updates: UpdateInfo[]): UpdateInfo | undefined {
  return [...updates].sort((a, b) => a.version - b.version || a.info.startTime - b.info.startTime).at(-1);
}

/** Console link of the update or preview: `.../updates/{version}` or `.../previews/{updateID}`. */
export function updateUrl(consoleUrl: string, stack: { organization: string; project: string; stack: string }, update: UpdateInfo | undefined): string | undefined {
  if (!update) return undefined;
  const stackPath = `/${stack.organization}/${stack.project}/${stack.stack}`;
  const at = consoleUrl.indexOf(`${stackPath}/`);
  if (at < 0) return undefined;
  const base = consoleUrl.slice(0, at) + stackPath;
  return update.info.kind === 'preview' ? `${base}/previews/${update.updateID}` : `${base}/updates/${update.version}`;
}

import { safeUrl } from '../runner-io/untrusted-text.js';
import { isPlainId } from '../domain/names.js';
import { NO_CHANGE_KINDS, REPLACE_STEPS, isChangeKind } from '../domain/vocabulary.js';
import type { UpdateInfo } from '../domain/outcome.js';

export interface ResourceChanges {
  create: number;
  update: number;
  delete: number;
  replace: number;
  same: number;
  /** Other kinds the engine reports (import, read, discard...), kept as given. */
  [kind: string]: number;
}

/** Resource change counts of the deployment's last update (the one its verdict is about). */
export function resourceChanges(updates: UpdateInfo[], onDropped?: (kinds: string[]) => void): ResourceChanges | undefined {
  const raw = latestUpdate(updates)?.info.resourceChanges;
  return raw ? foldChanges(raw, onDropped) : undefined;
}

/**
 * Counts by engine operation folded into ResourceChanges. A kind that is not a change kind is
 * left out and handed to `onDropped`, so it is warned about once. A count that is not a
 * non-negative safe integer makes all of them unknown (undefined): never read as "no changes".
 */
export function foldChanges(raw: Record<string, unknown>, onDropped: (kinds: string[]) => void = () => {}): ResourceChanges | undefined {
  // Null prototype: a kind named __proto__ or constructor is a count like any other.
  const counts = Object.assign(Object.create(null) as ResourceChanges, { create: 0, update: 0, delete: 0, replace: 0, same: 0 });
  const hasReplace = Object.hasOwn(raw, 'replace');
  const dropped: string[] = [];
  for (const [kind, count] of Object.entries(raw)) {
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) return undefined;
    if (!isChangeKind(kind)) {
      dropped.push(kind);
      continue;
    }
    // create-replacement and delete-replaced describe one replace; count it once.
    if (REPLACE_STEPS.has(kind)) {
      if (!hasReplace) counts.replace = Math.max(counts.replace, count);
      continue;
    }
    counts[kind] = (counts[kind] ?? 0) + count;
  }
  if (dropped.length) onDropped(dropped);
  return counts;
}

export function hasChanges(changes: ResourceChanges | undefined): boolean {
  return !!changes && Object.entries(changes).some(([kind, count]) => !NO_CHANGE_KINDS.includes(kind) && count > 0);
}

export function latestUpdate(updates: UpdateInfo[]): UpdateInfo | undefined {
  return [...updates].sort((a, b) => a.version - b.version || a.info.startTime - b.info.startTime).at(-1);
}

/**
 * Console link of the update or preview, `{console}/{org}/{project}/{stack}/updates/{version}` or
 * `.../previews/{updateID}`, built from encoded path segments under the console's base URL (an
 * origin, or one with a path for a console served under one); undefined without a console, or
 * when the id or version is not one.
 */
export function updateUrl(consoleBase: string | undefined, stack: { organization: string; project: string; stack: string }, update: UpdateInfo | undefined): string | undefined {
  if (!update || !consoleBase) return undefined;
  const last =
    update.info.kind === 'preview'
      ? isPlainId(update.updateID)
        ? ['previews', update.updateID]
        : undefined
      : Number.isSafeInteger(update.version) && update.version >= 0
        ? ['updates', String(update.version)]
        : undefined;
  if (!last) return undefined;
  const path = [stack.organization, stack.project, stack.stack, ...last].map(encodeURIComponent).join('/');
  try {
    return safeUrl(`${consoleBase.replace(/\/+$/, '')}/${path}`, new URL(consoleBase).origin);
  } catch {
    return undefined;
  }
}

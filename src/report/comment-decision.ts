// `comment-on-pr`: true (always), false (never) or `changes` (only when something changes or
// fails; an earlier comment of ours is updated to say there are no changes now).

export type CommentMode = boolean | 'changes';
export type CommentAction = 'create' | 'update' | 'skip' | 'update-no-changes';

export interface CommentSituation {
  mode: CommentMode;
  /** 'unknown' when neither the events nor /updates said: treated as changes, so nothing is hidden. */
  hasChanges: boolean | 'unknown';
  failed: boolean;
  /** Our comment for this stack is already on the PR. */
  existingComment: boolean;
}

export function decideComment({ mode, hasChanges, failed, existingComment }: CommentSituation): CommentAction {
  if (mode === false) return 'skip';
  const worthShowing = mode === true || failed || hasChanges !== false;
  if (worthShowing) return existingComment ? 'update' : 'create';
  return existingComment ? 'update-no-changes' : 'skip';
}

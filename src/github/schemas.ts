// The GitHub answers the PR comment reads: who the token is, the PR's comments, the comment
// written. Only the fields read are checked (GitHub adds fields often).
import * as v from 'valibot';
import { checker, count, object } from '../cloud/schemas/check.js';

const user = v.nullable(object({ login: v.string(), type: v.optional(v.string()) }));

export const authenticatedUser = checker(object({ login: v.string(), type: v.optional(v.string()) }));
export const comments = checker(v.array(object({ id: count(), body: v.nullish(v.string()), user })));
export const writtenComment = checker(object({ id: count(), html_url: v.string() }));

/** A deployment or a deployment status written (POST .../deployments, .../statuses). */
export const written = checker(object({ id: count() }));

/** A check run written (POST .../check-runs, PATCH .../check-runs/{id}). */
export const checkRun = checker(object({ id: count(), html_url: v.nullish(v.string()) }));

/** The pull requests of a commit (GET .../commits/{sha}/pulls). */
export const commitPulls = checker(v.array(object({ number: count(), state: v.string() })));

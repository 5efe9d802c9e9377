// Outcomes for unit tests: an update's empty plan and a followed deployment, each with every
// field set, so a test names only the fields it is about.
import { emptyPlan as planOf, type FollowedDeployment, type UpdatePlan } from '../../src/domain/outcome.js';

/** An update's plan with nothing in it: an update of version 1 unless `fields` say otherwise. */
export const emptyPlan = (fields: Partial<UpdatePlan> = {}): UpdatePlan => ({ ...planOf({ kind: 'update', updateId: 'u', version: 1, preview: false }), ...fields });

/** A deployment of acme/app/dev followed to its end (succeeded, no log) unless `fields` say otherwise. */
export const followedDeployment = (fields: Partial<FollowedDeployment> = {}): FollowedDeployment => ({
  ref: { organization: 'acme', project: 'app', stack: 'dev', id: 'd-1' },
  consoleUrl: 'https://app.pulumi.com/acme/app/dev/deployments/1',
  version: 1,
  status: 'succeeded',
  finished: true,
  cancelRequested: false,
  steps: [],
  tail: [],
  linesStreamed: 0,
  durationMs: 1,
  ...fields,
});

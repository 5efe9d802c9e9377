import type { UpdatePlan } from '../../src/domain/outcome.js';

/** An update's plan with nothing in it: an update of version 1 unless `fields` say otherwise. */
export const emptyPlan = (fields: Partial<UpdatePlan> = {}): UpdatePlan => ({
  kind: 'update',
  updateId: 'u',
  version: 1,
  preview: false,
  resources: [],
  omittedResources: 0,
  diagnostics: [],
  omittedDiagnostics: 0,
  policies: [],
  omittedPolicies: 0,
  outputChanges: [],
  omittedOutputChanges: 0,
  events: 0,
  requests: 0,
  ...fields,
});

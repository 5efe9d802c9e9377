import { emptyPlan as planOf, type UpdatePlan } from '../../src/domain/outcome.js';

/** An update's plan with nothing in it: an update of version 1 unless `fields` say otherwise. */
export const emptyPlan = (fields: Partial<UpdatePlan> = {}): UpdatePlan => ({ ...planOf({ kind: 'update', updateId: 'u', version: 1, preview: false }), ...fields });

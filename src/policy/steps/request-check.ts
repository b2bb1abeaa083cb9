import { pass, skip, type PolicyStep } from '../chain-types.js';

/**
 * Request validation itself is the route schemas' job (Fastify runs them between the two phases
 * of a live call, and their 400/413 comes in chain order). This step records it in the trace;
 * a dry run has no request body to check.
 */
export const requestCheck: PolicyStep = {
  layer: 'request',
  phase: 'after-body',
  run(context) {
    return context.query.requestChecked === true ? pass('the request passed its schema') : skip('a dry run has no request body to check');
  },
};

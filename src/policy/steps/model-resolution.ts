import { GatewayError, isGatewayError } from '../../errors.js';
import { deny, pass, skip, type PolicyStep } from '../chain-types.js';

/**
 * The requested model must be an enabled catalog model of the endpoint's type (chat or
 * embedding); listing and retrieving models accept either type.
 */
export const modelResolution: PolicyStep = {
  layer: 'model',
  phase: 'after-body',
  run(context) {
    const { model: name, endpoint } = context.query;
    if (name === undefined) return skip('no model asked for');
    const { catalog } = context.view;
    if (endpoint === 'models') {
      const model = catalog.find(name);
      if (model === undefined) {
        return deny(
          new GatewayError('model_not_found', `The model '${name}' does not exist or is not enabled.`, {
            param: 'model',
            hint: 'GET /v1/models lists the models you can call.',
          }),
        );
      }
      context.model = model;
      return pass(`'${name}' is an enabled ${model.type} model`);
    }
    try {
      context.model = catalog.resolve(name, endpoint);
    } catch (error) {
      if (isGatewayError(error)) return deny(error);
      throw error;
    }
    return pass(`'${name}' is an enabled ${context.model.type} model`);
  },
};

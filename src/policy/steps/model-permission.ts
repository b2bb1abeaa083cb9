import { GatewayError } from '../../errors.js';
import { deny, pass, principalOf, skip, type PolicyStep } from '../chain-types.js';

/**
 * The model must be allowed by the tenant, then by the key (each when it restricts models).
 * The denial says which of the two refused, never what the list holds.
 */
export const modelPermission: PolicyStep = {
  layer: 'permission',
  phase: 'after-body',
  run(context) {
    const model = context.model;
    if (model === undefined) return skip('no model asked for');
    const { key, tenant } = principalOf(context);
    if (tenant.allowedModels !== null && !tenant.allowedModels.has(model.name)) {
      return deny(
        new GatewayError('model_not_permitted', `Model '${model.name}' is not among the models tenant '${tenant.name}' (${tenant.id}) allows.`, {
          param: 'model',
          hint: `A platform admin can allow it: PATCH /admin/tenants/${tenant.id} with '${model.name}' added to allowedModels.`,
        }),
      );
    }
    if (key.allowedModels !== null && !key.allowedModels.has(model.name)) {
      return deny(
        new GatewayError('model_not_permitted', `Model '${model.name}' is not among the models API key ${key.id} allows (its tenant allows it).`, {
          param: 'model',
          hint: `A tenant admin can allow it: PATCH /admin/keys/${key.id} with '${model.name}' added to allowedModels.`,
        }),
      );
    }
    const byTenant = tenant.allowedModels === null ? 'the tenant allows every model' : 'the tenant allows it';
    const byKey = key.allowedModels === null ? 'the key allows every model' : 'the key allows it';
    return pass(`${byTenant}; ${byKey}`);
  },
};

import { GatewayError } from '../../errors.js';
import { deny, pass, principalOf, type PolicyStep } from '../chain-types.js';

/** The app's tenant must be active: suspending a tenant stops every app and key in it. */
export const tenantStatus: PolicyStep = {
  layer: 'tenant',
  phase: 'before-body',
  run(context) {
    const { tenant } = principalOf(context);
    if (tenant.status === 'suspended') {
      return deny(
        new GatewayError('tenant_suspended', `Tenant '${tenant.name}' (${tenant.id}) is suspended, so none of its apps can call the gateway.`, {
          hint: `A platform admin can reactivate it: PATCH /admin/tenants/${tenant.id} {"status": "active"}.`,
        }),
      );
    }
    return pass(`tenant '${tenant.name}' (${tenant.id}) is active`);
  },
};

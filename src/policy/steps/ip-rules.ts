import { isIP } from 'node:net';
import { GatewayError } from '../../errors.js';
import { deny, pass, principalOf, skip, type PolicyStep } from '../chain-types.js';
import { normalizeClientIp } from '../ip-allow-list.js';

const proxyNote = 'Behind a reverse proxy, the gateway sees the client address only when it trusts the proxy (GATEWAY_TRUSTED_PROXIES).';

/**
 * The client address must be in the key's allow-list and in the tenant's (each when set). The
 * denial names which list refused the address, never what the list holds.
 */
export const ipRules: PolicyStep = {
  layer: 'ip',
  phase: 'before-body',
  run(context) {
    const { key, tenant } = principalOf(context);
    const lists = [key.ipAllowList && 'key', tenant.ipAllowList && 'tenant'].filter(Boolean);
    if (lists.length === 0) return pass('no IP allow-list on the key or the tenant');
    const given = context.query.ip;
    if (given === undefined) return skip(`not checked: no client IP given (the ${lists.join(' and the ')} ${lists.length > 1 ? 'have' : 'has'} an IP allow-list)`);
    const ip = normalizeClientIp(given);
    // A trusted proxy's X-Forwarded-For can hold anything: text that is no address matches no
    // list, and is not repeated to the caller.
    if (isIP(ip) === 0) {
      return deny(
        new GatewayError('ip_not_allowed', `The client address reported for this call is not an IP address, so it matches no IP allow-list of the ${lists.join(' or the ')}.`, {
          hint: `Call from an allowed network; an operator should check what the trusted proxy writes into X-Forwarded-For. ${proxyNote}`,
        }),
      );
    }
    if (key.ipAllowList !== null && !key.ipAllowList.allows(ip)) {
      return deny(
        new GatewayError('ip_not_allowed', `Client IP ${ip} is not in the IP allow-list of API key ${key.id}.`, {
          hint: `A tenant admin can allow it: PATCH /admin/keys/${key.id} with the address or its network added to allowedIps. ${proxyNote}`,
        }),
      );
    }
    if (tenant.ipAllowList !== null && !tenant.ipAllowList.allows(ip)) {
      return deny(
        new GatewayError('ip_not_allowed', `Client IP ${ip} is not in the IP allow-list of tenant '${tenant.name}' (${tenant.id}).`, {
          hint: `A platform admin can allow it: PATCH /admin/tenants/${tenant.id} with the address or its network added to allowedIps. ${proxyNote}`,
        }),
      );
    }
    return pass(`client IP ${ip} is in the ${lists.join(' and the ')} IP allow-list${lists.length > 1 ? 's' : ''}`);
  },
};

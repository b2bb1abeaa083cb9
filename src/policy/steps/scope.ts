import type { KeyScope } from '../../db/schema.js';
import { GatewayError } from '../../errors.js';
import { deny, pass, principalOf, type PolicyStep } from '../chain-types.js';

const endpointPaths: Record<KeyScope, string> = { chat: '/v1/chat/completions', embeddings: '/v1/embeddings', models: '/v1/models' };

/**
 * The key needs the endpoint's scope. Listing or retrieving a model also needs the scope to call
 * it (`chat` or `embeddings`), so `/v1/models` shows exactly what the key can call.
 */
export const scope: PolicyStep = {
  layer: 'scope',
  phase: 'after-body',
  run(context) {
    const { key } = principalOf(context);
    const needed: KeyScope[] = [context.query.endpoint];
    if (context.query.endpoint === 'models' && context.model !== undefined) needed.push(context.model.type === 'embedding' ? 'embeddings' : 'chat');
    for (const wanted of needed) {
      if (key.scopes.includes(wanted)) continue;
      const purpose = wanted === context.query.endpoint ? `that ${endpointPaths[wanted]} needs` : `needed to call model '${context.model?.name ?? ''}'`;
      return deny(
        new GatewayError('scope_missing', `API key ${key.id} lacks the '${wanted}' scope ${purpose}.`, {
          hint: `A tenant admin can grant it: PATCH /admin/keys/${key.id} with '${wanted}' added to scopes.`,
        }),
      );
    }
    return pass(`the key has the ${needed.map((name) => `'${name}'`).join(' and ')} scope${needed.length > 1 ? 's' : ''}`);
  },
};

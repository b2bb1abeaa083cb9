import type { ModelCatalog } from '../catalog/model-catalog.js';
import type { AccessEndpoint } from './chain-types.js';

/** A dry run that names no endpoint asks about calling the model where it can be called. */
export function defaultEndpoint(catalog: ModelCatalog, model: string): AccessEndpoint {
  return catalog.find(model)?.type === 'embedding' ? 'embeddings' : 'chat';
}

export const endpointSchema = { type: 'string', enum: ['chat', 'embeddings', 'models'] } as const;

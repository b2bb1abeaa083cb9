import { anthropicSpec } from './anthropic-spec.js';
import { providerEndToEnd } from './provider-end-to-end.js';

providerEndToEnd(anthropicSpec);

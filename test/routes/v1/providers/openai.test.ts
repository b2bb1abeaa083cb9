import { openaiSpec } from './openai-spec.js';
import { providerEndToEnd } from './provider-end-to-end.js';

providerEndToEnd(openaiSpec);

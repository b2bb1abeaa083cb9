import { geminiSpec } from './gemini-spec.js';
import { providerEndToEnd } from './provider-end-to-end.js';

providerEndToEnd(geminiSpec);

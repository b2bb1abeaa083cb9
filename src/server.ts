import { parseEnv } from './config/env.js';
import { exitOnStartupFailure, serve } from './serve.js';

/** Starts the gateway: listen, and drain on SIGTERM/SIGINT (DESIGN §7; see graceful-shutdown.ts). */
Promise.resolve()
  .then(() => serve(parseEnv()))
  .catch(exitOnStartupFailure);

import type { CallRecord } from '../routing/call-record.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** What the gateway learned while serving this call (for the call log and metrics). */
    call: CallRecord;
  }
}

import { z } from 'zod';
import { parseCidr } from '../access/cidr-notation.js';

/**
 * GATEWAY_TRUSTED_PROXIES: the proxies whose `X-Forwarded-For` the gateway believes, as
 * comma-separated CIDR blocks (`10.0.0.0/8,::1`), or `false` (the default: the socket's peer is
 * the client). IP allow-lists see the client address this yields, so a trusted range too wide
 * would let any caller choose its address: entries are parsed strictly.
 */
export const trustedProxiesSchema = z
  .string()
  .transform((text, context): false | string[] => {
    if (text.trim().toLowerCase() === 'false') return false;
    const blocks: string[] = [];
    for (const entry of text.split(',').map((part) => part.trim())) {
      const parsed = parseCidr(entry);
      if (!parsed.ok) {
        context.addIssue({ code: 'custom', message: `expected comma-separated CIDR blocks (10.0.0.0/8,::1/128) or 'false': '${entry}': ${parsed.reason}` });
        return z.NEVER;
      }
      blocks.push(parsed.canonical);
    }
    return blocks;
  })
  .default(false);

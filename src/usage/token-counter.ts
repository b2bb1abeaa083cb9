import { createRequire } from 'node:module';
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';

const require = createRequire(import.meta.url);

/**
 * Counts tokens where a provider reports none (Gemini embeddings, a stream cut short). o200k is
 * OpenAI's current encoding; for other providers the count is an estimate and is marked so.
 * The ranks and the encoder are loaded on first use: they cost ~100 ms and about 10 MB of
 * memory that a deployment may never need (a static import paid the memory at every boot).
 */
export class TokenCounter {
  private encoder: Tiktoken | undefined;

  count(text: string): number {
    if (text === '') return 0;
    this.encoder ??= countingOnly(new Tiktoken(require('js-tiktoken/ranks/o200k_base') as TiktokenBPE));
    return this.encoder.encode(text).length;
  }
}

/**
 * The gateway only counts, never decodes. js-tiktoken keeps a rank → bytes table for `decode()`
 * alone: 200,000 small buffers, about 40 MB of heap that showed as the largest item in a heap
 * snapshot of a gateway with token limits. Emptying it leaves `encode()` untouched (a test pins
 * the counts); should a later version rename the table, this does nothing.
 */
function countingOnly(encoder: Tiktoken): Tiktoken {
  const decodeTable = (encoder as unknown as { textMap?: unknown }).textMap;
  if (decodeTable instanceof Map) decodeTable.clear();
  return encoder;
}

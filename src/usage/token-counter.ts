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
    this.encoder ??= new Tiktoken(require('js-tiktoken/ranks/o200k_base') as TiktokenBPE);
    return this.encoder.encode(text).length;
  }
}

import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';

/**
 * Counts tokens where a provider reports none (Gemini embeddings, a stream cut short). o200k is
 * OpenAI's current encoding; for other providers the count is an estimate and is marked so.
 * The encoder is built on first use: it costs ~100 ms and memory a deployment may never need.
 */
export class TokenCounter {
  private encoder: Tiktoken | undefined;

  count(text: string): number {
    if (text === '') return 0;
    this.encoder ??= new Tiktoken(o200kBase);
    return this.encoder.encode(text).length;
  }
}

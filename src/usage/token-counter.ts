import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { TiktokenBPE } from 'js-tiktoken/lite';
import { BpeRankTable } from './bpe-rank-table.js';
import { BpeTokenCount } from './bpe-token-count.js';

const require = createRequire(import.meta.url);

/** Texts up to this many characters are counted whole (a few milliseconds at most). */
const EXACT_UP_TO_CHARACTERS = 4_096;
/** Longer texts: this many windows of this size, spread over the text, and the rest extrapolated. */
const SAMPLE_WINDOWS = 4;
const SAMPLE_WINDOW_CHARACTERS = 1_024;
/**
 * BPE merging is quadratic in the length of one pre-token: a run of 16,000 identical characters
 * took 16 s to count, with every call stalled meanwhile. Runs of spaces or of non-spaces longer
 * than this are counted in pieces of this length, which bounds the cost; ordinary text has no
 * such runs and is counted exactly.
 */
const MAX_RUN_CHARACTERS = 16;
const LONG_RUN = new RegExp(`(\\S{${MAX_RUN_CHARACTERS + 1},}|\\s{${MAX_RUN_CHARACTERS + 1},})`);

/**
 * Counts tokens where a provider reports none (Gemini embeddings, a stream cut short) and for
 * tokens-per-minute reservations. o200k is OpenAI's current encoding; for other providers the
 * count is an estimate and is marked so.
 *
 * Counting runs on the event loop, so its cost is bounded: a long text (a 10 MB prompt took ~4 s
 * to count whole, and stalled every other call meanwhile) is counted in a few windows and the
 * rest extrapolated from their tokens per character. The reservation it feeds is settled with the
 * provider's real usage afterwards.
 *
 * The encoder takes about 0.1 s of CPU to build. `warmUp()` builds it at boot (`serve()` does);
 * otherwise the first count builds it, stalling every call in flight.
 */
export class TokenCounter {
  private encoder: BpeTokenCount | undefined;

  warmUp(): void {
    this.encoder ??= o200kCount();
  }

  count(text: string): number {
    if (text === '') return 0;
    if (text.length <= EXACT_UP_TO_CHARACTERS) return this.encode(text);
    let sampledTokens = 0;
    const stride = (text.length - SAMPLE_WINDOW_CHARACTERS) / (SAMPLE_WINDOWS - 1);
    for (let window = 0; window < SAMPLE_WINDOWS; window++) {
      const start = Math.round(window * stride);
      sampledTokens += this.encode(text.slice(start, start + SAMPLE_WINDOW_CHARACTERS));
    }
    return Math.ceil((sampledTokens / (SAMPLE_WINDOWS * SAMPLE_WINDOW_CHARACTERS)) * text.length);
  }

  /**
   * Several texts (an embeddings input list) under one bound: counted one by one while they are
   * short in all, else joined and counted as one long text, so that fifty long inputs cost no
   * more than one.
   */
  countAll(texts: readonly string[]): number {
    const characters = texts.reduce((sum, text) => sum + text.length, 0);
    if (characters <= EXACT_UP_TO_CHARACTERS) return texts.reduce((sum, text) => sum + this.count(text), 0);
    return this.count(texts.join('\n'));
  }

  private encode(text: string): number {
    this.warmUp();
    let tokens = 0;
    // split() with a capturing group keeps the long runs, at the odd positions.
    text.split(LONG_RUN).forEach((part, index) => {
      if (index % 2 === 0) tokens += this.encodePiece(part);
      else for (let start = 0; start < part.length; start += MAX_RUN_CHARACTERS) tokens += this.encodePiece(part.slice(start, start + MAX_RUN_CHARACTERS));
    });
    return tokens;
  }

  private encodePiece(text: string): number {
    if (text === '') return 0;
    return (this.encoder as BpeTokenCount).count(text);
  }
}

/**
 * o200k's ranks and pattern, from js-tiktoken's data file (`module.exports = {…JSON…};`). Read as
 * JSON rather than required: a required module stays referenced from its parent's `children`,
 * and with it the 2.2 MB rank string the table no longer needs.
 */
function o200kCount(): BpeTokenCount {
  const source = readFileSync(require.resolve('js-tiktoken/ranks/o200k_base'), 'utf8');
  const ranks = JSON.parse(source.slice(source.indexOf('{'), source.lastIndexOf('}') + 1)) as TiktokenBPE;
  return new BpeTokenCount(BpeRankTable.fromTiktokenRanks(ranks.bpe_ranks), ranks.pat_str);
}

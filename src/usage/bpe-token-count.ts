import type { BpeRankTable } from './bpe-rank-table.js';

/**
 * Counts a text's tokens as tiktoken's byte-pair encoding would produce them, without producing
 * them: the text is split by the encoding's pattern, each piece's UTF-8 bytes are merged pair by
 * pair (always the lowest-ranked adjacent pair, the leftmost on a tie), and the parts left are
 * counted. Special-token text ("<|endoftext|>") is ordinary text here, as a prompt's content is.
 *
 * Pieces are encoded into one reused buffer, and the merge works on reused typed arrays: a count
 * allocates next to nothing, where js-tiktoken's encode() built a string key per pair it looked up.
 */
export class BpeTokenCount {
  private readonly pattern: RegExp;
  private readonly utf8 = new TextEncoder();
  private bytes = new Uint8Array(256);
  /** Part `i` of a piece is `bytes[boundaries[i]..boundaries[i + 1])`. */
  private boundaries = new Int32Array(257);
  /** The rank of parts `i` and `i + 1` joined, or -1 when they are no token. */
  private pairRanks = new Int32Array(256);

  constructor(
    private readonly table: BpeRankTable,
    pattern: string,
  ) {
    this.pattern = new RegExp(pattern, 'gu');
  }

  count(text: string): number {
    let tokens = 0;
    this.pattern.lastIndex = 0;
    for (let match = this.pattern.exec(text); match !== null; match = this.pattern.exec(text)) {
      if (match[0] === '') this.pattern.lastIndex++; // never for tiktoken's patterns; no endless loop either way
      else tokens += this.countPiece(match[0]);
    }
    return tokens;
  }

  private countPiece(piece: string): number {
    // UTF-16 to UTF-8 takes at most three bytes per code unit.
    if (this.bytes.length < piece.length * 3) this.grow(piece.length * 3);
    const length = this.utf8.encodeInto(piece, this.bytes).written;
    if (length === 1 || this.table.rankOf(this.bytes, 0, length) !== -1) return 1;
    return this.mergedParts(length);
  }

  private mergedParts(length: number): number {
    const { bytes, boundaries, pairRanks, table } = this;
    for (let index = 0; index <= length; index++) boundaries[index] = index;
    for (let pair = 0; pair < length - 1; pair++) pairRanks[pair] = table.rankOf(bytes, pair, pair + 2);
    let parts = length;
    while (parts > 1) {
      let lowest = -1;
      for (let pair = 0; pair < parts - 1; pair++) {
        const rank = pairRanks[pair] as number;
        if (rank !== -1 && (lowest === -1 || rank < (pairRanks[lowest] as number))) lowest = pair;
      }
      if (lowest === -1) break;
      // Join parts `lowest` and `lowest + 1`: drop the boundary between them and the pair they formed.
      boundaries.copyWithin(lowest + 1, lowest + 2, parts + 1);
      pairRanks.copyWithin(lowest + 1, lowest + 2, parts - 1);
      parts--;
      if (lowest < parts - 1) pairRanks[lowest] = table.rankOf(bytes, boundaries[lowest] as number, boundaries[lowest + 2] as number);
      if (lowest > 0) pairRanks[lowest - 1] = table.rankOf(bytes, boundaries[lowest - 1] as number, boundaries[lowest + 1] as number);
    }
    return parts;
  }

  private grow(size: number): void {
    this.bytes = new Uint8Array(size);
    this.boundaries = new Int32Array(size + 1);
    this.pairRanks = new Int32Array(size);
  }
}

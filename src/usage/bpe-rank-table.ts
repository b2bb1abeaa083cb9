/**
 * The byte-pair ranks of a tiktoken encoding, in typed arrays: every token's bytes back to back,
 * and an open-addressing hash table from a byte sequence to its rank.
 *
 * Why not a Map: js-tiktoken keys its map by each token's bytes joined with commas, 200,000
 * strings that held 18 MB of live heap, took ~0.5 s to build and raised the gateway's RSS by
 * ~65 MB. Here the same ranks take ~4.5 MB outside the garbage-collected heap's object graph, so a
 * full collection has nothing of them to trace.
 */
export class BpeRankTable {
  private constructor(
    /** Every token's bytes, back to back. */
    private readonly bytes: Uint8Array,
    /** Token `i`'s bytes are `bytes[starts[i]..starts[i + 1])`. */
    private readonly starts: Uint32Array,
    private readonly ranks: Int32Array,
    /** Open addressing, linear probing: a token's index + 1, or 0 for an empty slot. */
    private readonly slots: Uint32Array,
  ) {}

  /**
   * From tiktoken's rank file (js-tiktoken's `bpe_ranks`): lines of a label, the first rank, then
   * the base64 tokens of consecutive ranks.
   */
  static fromTiktokenRanks(bpeRanks: string): BpeRankTable {
    // Every token is preceded by a space: their count bounds the number of tokens.
    let capacity = 0;
    for (let at = bpeRanks.indexOf(' '); at !== -1; at = bpeRanks.indexOf(' ', at + 1)) capacity++;
    const starts = new Uint32Array(capacity + 1);
    const ranks = new Int32Array(capacity);
    // Base64 decodes to at most three bytes per four characters: decode straight into one buffer.
    const buffer = Buffer.alloc(Math.ceil((bpeRanks.length * 3) / 4));
    let count = 0;
    let end = 0;
    for (const line of bpeRanks.split('\n')) {
      const fields = line.split(' ');
      if (fields.length < 3) continue;
      const firstRank = Number.parseInt(fields[1] as string, 10);
      for (let field = 2; field < fields.length; field++, count++) {
        starts[count] = end;
        ranks[count] = firstRank + field - 2;
        end += buffer.write(fields[field] as string, end, 'base64');
      }
    }
    starts[count] = end;
    const bytes = Uint8Array.from(buffer.subarray(0, end));
    // Load factor under 0.4 keeps probe runs short.
    let size = 1;
    while (size < count * 2.5) size *= 2;
    const table = new BpeRankTable(bytes, starts.slice(0, count + 1), ranks.slice(0, count), new Uint32Array(size));
    for (let index = 0; index < count; index++) table.insert(index);
    return table;
  }

  /** The rank of `source[start..end)` as one token, or -1 when it is not one. */
  rankOf(source: Uint8Array, start: number, end: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hashBytes(source, start, end) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] as number;
      if (entry === 0) return -1;
      if (this.holds(entry - 1, source, start, end)) return this.ranks[entry - 1] as number;
    }
  }

  /** Bytes held by the table's arrays. */
  get byteLength(): number {
    return this.bytes.byteLength + this.starts.byteLength + this.ranks.byteLength + this.slots.byteLength;
  }

  private insert(index: number): void {
    const mask = this.slots.length - 1;
    let slot = hashBytes(this.bytes, this.starts[index] as number, this.starts[index + 1] as number) & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = index + 1;
  }

  private holds(index: number, source: Uint8Array, start: number, end: number): boolean {
    const from = this.starts[index] as number;
    if ((this.starts[index + 1] as number) - from !== end - start) return false;
    for (let offset = 0; offset < end - start; offset++) if (this.bytes[from + offset] !== source[start + offset]) return false;
    return true;
  }
}

/** FNV-1a, 32 bits. */
function hashBytes(source: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let index = start; index < end; index++) hash = Math.imul(hash ^ (source[index] as number), 0x01000193);
  return hash >>> 0;
}

import { createHash } from 'node:crypto';

/** A unit vector derived from the text's SHA-256: equal texts embed equally, different texts differ. */
export function mockEmbedding(text: string, dimensions: number): number[] {
  const vector: number[] = [];
  let block = createHash('sha256').update(text).digest();
  while (vector.length < dimensions) {
    for (let i = 0; i + 1 < block.length && vector.length < dimensions; i += 2) {
      vector.push((block.readUInt16LE(i) / 65535) * 2 - 1);
    }
    block = createHash('sha256').update(block).digest();
  }
  const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0)) || 1;
  // Rounded through float32 so a base64 round trip returns exactly these numbers.
  return vector.map((x) => Math.fround(x / norm));
}

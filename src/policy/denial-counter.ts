import type { ErrorLayer } from '../errors.js';

export interface DenialCount {
  layer: ErrorLayer;
  code: string;
  count: number;
}

/**
 * Live calls refused by the decision chain, by layer and code, since the start: a small
 * in-memory tally the metrics exporter can read. Bounded: layers and codes come from the catalogue.
 */
export class DenialCounter {
  private readonly counts = new Map<string, DenialCount>();

  record(layer: ErrorLayer, code: string): void {
    const id = `${layer}\u0000${code}`;
    const entry = this.counts.get(id);
    if (entry === undefined) this.counts.set(id, { layer, code, count: 1 });
    else entry.count += 1;
  }

  /** A copy of the tally, sorted by layer then code. */
  entries(): DenialCount[] {
    return [...this.counts.values()].map((entry) => ({ ...entry })).sort((a, b) => a.layer.localeCompare(b.layer) || a.code.localeCompare(b.code));
  }

  count(layer: ErrorLayer, code: string): number {
    return this.counts.get(`${layer}\u0000${code}`)?.count ?? 0;
  }

  get total(): number {
    let sum = 0;
    for (const entry of this.counts.values()) sum += entry.count;
    return sum;
  }
}

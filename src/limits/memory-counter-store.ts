import { randomUUID } from 'node:crypto';
import type { CounterStore, Reservation, WindowCount } from './counter-store.js';

interface WindowEntry {
  used: number;
  generation: string;
  endsAt: number;
}

interface SpendEntry {
  usd: number;
  expiresAt: number;
}

/** How often expired counters are dropped, so idle keys do not pile up. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * The default store: counters in this process. Node runs one operation at a time, so each
 * method is atomic as it stands. Limits hold per process: replicas need Redis.
 */
export class MemoryCounterStore implements CounterStore {
  readonly kind = 'memory' as const;
  private readonly windows = new Map<string, WindowEntry>();
  private readonly spend = new Map<string, SpendEntry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    this.sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();
  }

  async reserve(counter: string, amount: number, max: number, windowMs: number): Promise<Reservation> {
    const now = this.now();
    const open = this.openWindow(counter, now);
    const used = open?.used ?? 0;
    if (used + amount > max) {
      return { granted: false, used, resetMs: open === undefined ? 0 : open.endsAt - now, generation: '' };
    }
    const entry = open ?? { used: 0, generation: randomUUID(), endsAt: now + windowMs };
    entry.used += amount;
    this.windows.set(counter, entry);
    return { granted: true, used: entry.used, resetMs: entry.endsAt - now, generation: entry.generation };
  }

  async read(counter: string): Promise<WindowCount> {
    const now = this.now();
    const open = this.openWindow(counter, now);
    return open === undefined ? { used: 0, resetMs: 0 } : { used: open.used, resetMs: open.endsAt - now };
  }

  async adjust(counter: string, generation: string, delta: number): Promise<void> {
    const open = this.openWindow(counter, this.now());
    if (open === undefined || open.generation !== generation) return;
    open.used = Math.max(0, open.used + delta);
  }

  async addSpend(counter: string, usd: number, expiresAt: number): Promise<void> {
    const entry = this.spend.get(counter);
    this.spend.set(counter, { usd: (entry?.usd ?? 0) + usd, expiresAt });
  }

  async seedSpend(counter: string, usd: number, expiresAt: number): Promise<void> {
    if (!this.spend.has(counter)) this.spend.set(counter, { usd, expiresAt });
  }

  async readSpend(counter: string): Promise<number> {
    const entry = this.spend.get(counter);
    return entry === undefined || entry.expiresAt <= this.now() ? 0 : entry.usd;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  private openWindow(counter: string, now: number): WindowEntry | undefined {
    const entry = this.windows.get(counter);
    if (entry === undefined) return undefined;
    if (entry.endsAt <= now) {
      this.windows.delete(counter);
      return undefined;
    }
    return entry;
  }

  private sweep(): void {
    const now = this.now();
    for (const [counter, entry] of this.windows) if (entry.endsAt <= now) this.windows.delete(counter);
    for (const [counter, entry] of this.spend) if (entry.expiresAt <= now) this.spend.delete(counter);
  }
}

/**
 * The counters behind every limit, in memory or in Redis. Every operation is atomic on its own
 * counter, so N gateway replicas sharing one Redis share one limit exactly.
 *
 * A window counter starts at its first use and lives `windowMs` (a fixed window anchored at the
 * first call, like @fastify/rate-limit's own stores). Each window gets a fresh `generation` id,
 * so a late settlement never leaks into the window after the one it reserved in.
 */

export interface WindowCount {
  /** What the window has used so far (after this operation). */
  used: number;
  /** Milliseconds until the window ends; 0 when no window is open. */
  resetMs: number;
}

export interface Reservation extends WindowCount {
  /** False when `amount` did not fit under `max`: nothing was added. */
  granted: boolean;
  /** Identifies the window the amount went into ('' when nothing was added). */
  generation: string;
}

export interface CounterStore {
  /** 'memory' or 'redis', for the logs and the docs. */
  readonly kind: 'memory' | 'redis';
  /** Adds `amount` when `used + amount <= max`, opening a `windowMs` window on first use. */
  reserve(counter: string, amount: number, max: number, windowMs: number): Promise<Reservation>;
  /** The window as it stands, without touching it. */
  read(counter: string): Promise<WindowCount>;
  /** Corrects a reservation by `delta` (real usage minus estimate), if its window is still open. */
  adjust(counter: string, generation: string, delta: number): Promise<void>;
  /** Adds USD to a spend counter that lives until `expiresAt` (epoch ms). */
  addSpend(counter: string, usd: number, expiresAt: number): Promise<void>;
  /** Sets a spend counter from the call log at boot, unless the store already has one. */
  seedSpend(counter: string, usd: number, expiresAt: number): Promise<void>;
  /** USD spent so far (0 when none). */
  readSpend(counter: string): Promise<number>;
  close(): Promise<void>;
}

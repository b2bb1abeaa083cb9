import type Database from 'better-sqlite3';

/**
 * `api_keys.last_used_at` without a write per call: calls note the time in memory, and one
 * transaction writes the latest time of each used key every flush interval (and at shutdown).
 * The column is informational (never part of a decision), so it may lag by one interval.
 */
export class KeyUsageTracker {
  private pending = new Map<string, number>();
  private readonly update: Database.Statement<[number, string, number]>;

  constructor(private readonly sqlite: Database.Database) {
    this.update = sqlite.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)');
  }

  touch(keyId: string, at: number): void {
    this.pending.set(keyId, at);
  }

  get pendingKeys(): number {
    return this.pending.size;
  }

  flush(): void {
    if (this.pending.size === 0 || !this.sqlite.open) return;
    const batch = this.pending;
    this.pending = new Map();
    this.sqlite.transaction(() => {
      for (const [keyId, at] of batch) this.update.run(at, keyId, at);
    })();
  }
}

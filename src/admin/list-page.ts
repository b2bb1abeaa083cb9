import { and, eq, gt, or, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { invalidField } from './admin-errors.js';

/**
 * Paging for every admin list, one contract (the call log's, DESIGN §7): `limit` items after
 * `cursor`, the previous page's `nextCursor`. Lists run in creation order, so a page is the
 * rows after the last one seen by (time, id): a row created while an admin pages through lands
 * on a later page, and no row is shown twice or skipped.
 */
export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Where the next page starts; null on the last page. */
  nextCursor: string | null;
}

/** Where a page ended: its last row's sort time (ms) and the id that orders rows of the same millisecond. */
export interface Position {
  at: Date;
  id: string;
}

function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.at.getTime(), position.id])).toString('base64url');
}

function decodeCursor(cursor: string): Position {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (Array.isArray(decoded) && decoded.length === 2 && Number.isSafeInteger(decoded[0]) && typeof decoded[1] === 'string') {
    return { at: new Date(decoded[0] as number), id: decoded[1] };
  }
  throw invalidField('cursor', "'cursor' is not a cursor this list handed out.", "Pass the previous page's nextCursor unchanged, or leave cursor out for the first page.");
}

/** The rows after the cursor, in (time, id) order; no condition for the first page or an unpaged read. */
export function afterCursor(time: SQLiteColumn, id: SQLiteColumn, page: PageRequest | undefined): SQL | undefined {
  if (page?.cursor === undefined) return undefined;
  const last = decodeCursor(page.cursor);
  return or(gt(time, last.at), and(eq(time, last.at), gt(id, last.id)));
}

/**
 * How many rows to read: one more than the page holds, so the extra row tells that another page
 * exists. An unpaged read (the configuration export) takes every row: SQLite reads a negative
 * LIMIT as no limit.
 */
export function rowsToRead(page: PageRequest | undefined): number {
  return page === undefined ? -1 : page.limit + 1;
}

/** A page as the admin API answers it: `{data, nextCursor}`, each item in its public view. */
export function pageBody<T, V>(page: Page<T>, view: (item: T) => V): { data: V[]; nextCursor: string | null } {
  return { data: page.items.map(view), nextCursor: page.nextCursor };
}

/** Cuts the rows read with `rowsToRead` to the page, with the cursor of the next one. */
export function toPage<T>(rows: T[], page: PageRequest | undefined, positionOf: (row: T) => Position): Page<T> {
  if (page === undefined || rows.length <= page.limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, page.limit);
  return { items, nextCursor: encodeCursor(positionOf(items[items.length - 1])) };
}

import { Type } from '@sinclair/typebox';
import { validationFailed } from '../../http/errors.js';

/** Every admin list takes `limit` and an opaque `cursor` and answers `{ items, next_cursor }`. */
export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
};

/** Where the previous page stopped: the sort key and the id of its last row (keyset paging). */
export interface Cursor {
  key: string;
  id: string;
}

export function decodeCursor(cursor: string | undefined): Cursor | null {
  if (cursor === undefined) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((p) => typeof p === 'string')) {
      return { key: parsed[0] as string, id: parsed[1] as string };
    }
  } catch {
    // Falls through to the refusal below.
  }
  throw validationFailed('cursor is not one this API handed out.', [{ field: 'cursor', message: 'is not a valid cursor' }]);
}

const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify([c.key, c.id])).toString('base64url');

/**
 * A page from `limit + 1` fetched rows: the extra row only tells that there is more.
 * `keyOf` gives the cursor of a row (its sort key and id).
 */
export function toPage<R, T>(rows: R[], limit: number, keyOf: (r: R) => Cursor, render: (r: R) => T): { items: T[]; next_cursor: string | null } {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const last = shown[shown.length - 1];
  return { items: shown.map(render), next_cursor: more && last ? encodeCursor(keyOf(last)) : null };
}

/** A timestamp as text that sorts and compares exactly (microseconds kept by the database). */
export const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/** Paged list envelope for a response schema. */
export const Page = <T extends import('@sinclair/typebox').TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), next_cursor: Type.Union([Type.String(), Type.Null()]) });

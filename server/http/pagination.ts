import type { Knex } from 'knex';
import { z } from 'zod';
import { QuyTrinhError } from '../../engine/errors.ts';

/**
 * Keyset pagination for every list of the API (issue 10).
 *
 * A list answers `{items, next, total?}`. `items` are at most `limit` rows (default 50, at most
 * 500) in one fixed order that ends in a unique key, so it is total and the same on every call;
 * `next` is an opaque cursor for the page after (null on the last one), to be sent back as
 * `?cursor=` with the same filters. The cursor holds the last row's sort key, so the next page
 * starts right after that row: rows inserted or removed meanwhile never make an existing row
 * appear twice or be skipped (only a row whose sort key itself changes can move), and a page
 * costs one index range scan however deep it is, where an offset would rescan what it skips.
 *
 * `total` is exact — a count with the same filters — and comes with the first page only (no
 * cursor): a client paging through already has it, and counting again on every page would cost a
 * scan of the whole filtered set each time. It is read in its own statement, so rows changing
 * between the two reads can make it differ from what paging finds.
 */

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** `?limit=&cursor=`; extend it with a list's filters. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z.string().max(2000).optional(),
});
export type PageRequest = z.output<typeof pageQuery>;

export interface Page<Item> {
  items: Item[];
  next: string | null;
  /** Exact, with the first page only. */
  total?: number;
}

/**
 * How a key value travels in the cursor. Timestamps go as ISO text with microseconds, as
 * PostgreSQL stores them: a JavaScript Date keeps milliseconds only, and a key rounded down would
 * bring back the rows of the same millisecond after it.
 */
export type KeyKind = 'timestamp' | 'text' | 'integer' | 'bigint' | 'uuid';

export interface SortKey {
  /** A column or expression, written exactly as the index that serves the order has it. */
  sql: string;
  kind: KeyKind;
  descending?: boolean;
}

/** One list's order: its keys, the last ones unique together (the row's id as tie-break). */
export interface Keyset {
  /** Names the order in the cursor, so a cursor of one list (or order) is refused by another. */
  name: string;
  keys: readonly SortKey[];
}

type KeyValue = string | number;

const keyValueSchema: Record<KeyKind, z.ZodType<KeyValue>> = {
  timestamp: z.union([z.iso.datetime({ precision: 6 }), z.enum(['infinity', '-infinity'])]),
  text: z.string().max(1000),
  integer: z.number().int().min(-2_147_483_648).max(2_147_483_647),
  bigint: z.string().regex(/^-?\d{1,19}$/),
  uuid: z.guid(),
};

const SQL_CAST: Record<KeyKind, string> = { timestamp: 'timestamptz', text: 'text', integer: 'integer', bigint: 'bigint', uuid: 'uuid' };

/** What a key is selected as: its value as the cursor carries it. */
function keyValueSql(key: SortKey): string {
  if (key.kind === 'timestamp') {
    return `case when isfinite(${key.sql}) then to_char((${key.sql}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') else (${key.sql})::text end`;
  }
  return key.sql;
}

const keyAlias = (index: number) => `page_key_${index}`;

function encodeCursor(keyset: Keyset, values: KeyValue[]): string {
  return Buffer.from(JSON.stringify({ order: keyset.name, after: values })).toString('base64url');
}

function invalidCursor(reason: string): QuyTrinhError {
  return new QuyTrinhError('invalid-input', 'request.invalid-cursor', {
    vi: 'Con trỏ trang (cursor) không hợp lệ: hãy dùng đúng giá trị `next` của trang trước',
    en: 'Invalid page cursor: send back the `next` value of the previous page unchanged',
  }, [{ field: 'query.cursor', message: reason }]);
}

/** The sort key a cursor carries, checked against the list's order; a 400 naming `query.cursor` otherwise. */
function decodeCursor(keyset: Keyset, cursor: string): KeyValue[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor('not a cursor this server issued');
  }
  const schema = z.object({
    order: z.literal(keyset.name),
    after: z.tuple(keyset.keys.map((key) => keyValueSchema[key.kind]) as [z.ZodType<KeyValue>, ...Array<z.ZodType<KeyValue>>]),
  });
  const parsed = schema.safeParse(decoded);
  if (!parsed.success) throw invalidCursor(parsed.error.issues.map((issue) => [...issue.path.map(String), issue.message].join(': ')).join('; '));
  return parsed.data.after;
}

/**
 * Rows strictly after `values` in the keyset's order. When every key runs the same way this is one
 * row comparison, which a btree index on the same keys answers as a range; mixed directions expand
 * to (a > x) or (a = x and b < y) …, bounded by the first key so the index still seeks.
 */
function afterCondition(keyset: Keyset, values: KeyValue[]): [string, KeyValue[]] {
  const placeholder = (key: SortKey) => `?::${SQL_CAST[key.kind]}`;
  const keys = keyset.keys;
  if (keys.every((key) => Boolean(key.descending) === Boolean(keys[0]!.descending))) {
    const operator = keys[0]!.descending ? '<' : '>';
    return [`(${keys.map((key) => key.sql).join(', ')}) ${operator} (${keys.map(placeholder).join(', ')})`, values];
  }
  const alternatives: string[] = [];
  const bindings: KeyValue[] = [];
  keys.forEach((key, index) => {
    const equal = keys.slice(0, index).map((earlier) => `${earlier.sql} = ${placeholder(earlier)}`);
    alternatives.push([...equal, `${key.sql} ${key.descending ? '<' : '>'} ${placeholder(key)}`].join(' and '));
    bindings.push(...values.slice(0, index), values[index]!);
  });
  const first = keys[0]!;
  return [`${first.sql} ${first.descending ? '<=' : '>='} ${placeholder(first)} and (${alternatives.join(' or ')})`, [values[0]!, ...bindings]];
}

/**
 * One page of a filtered query in the keyset's order. `query` selects the row's columns and applies
 * the filters; this adds the order, the position after the cursor and the limit, and counts the
 * filtered rows on the first page.
 */
export async function pageOf<Row, Item>(db: Knex, query: Knex.QueryBuilder, keyset: Keyset, request: PageRequest, toItem: (row: Row) => Item): Promise<Page<Item>> {
  const after = request.cursor === undefined ? undefined : decodeCursor(keyset, request.cursor);
  const rowsQuery = query
    .clone()
    .select(keyset.keys.map((key, index) => db.raw(`${keyValueSql(key)} as ??`, [keyAlias(index)])))
    .orderByRaw(keyset.keys.map((key) => `${key.sql} ${key.descending ? 'desc' : 'asc'}`).join(', '))
    .limit(request.limit + 1);
  if (after) void rowsQuery.whereRaw(...afterCondition(keyset, after));
  const countQuery = after ? undefined : query.clone().clearSelect().clearOrder().count<Array<{ total: string | number }>>({ total: '*' });
  const [rows, counted] = await Promise.all([rowsQuery as Promise<Array<Row & Record<string, KeyValue>>>, countQuery]);
  const more = rows.length > request.limit;
  const shown = more ? rows.slice(0, request.limit) : rows;
  const last = shown.at(-1);
  return {
    items: shown.map((row) => toItem(row)),
    next: more && last ? encodeCursor(keyset, keyset.keys.map((_key, index) => last[keyAlias(index)]!)) : null,
    ...(counted ? { total: Number(counted[0]?.total ?? 0) } : {}),
  };
}

/**
 * The same page for a list held in memory (the shipped catalogue), ordered by a unique text key,
 * so its answers and cursors look like every other list's.
 */
export function pageOfArray<Item>(keyset: Keyset & { keys: readonly [SortKey & { kind: 'text' }] }, all: readonly Item[], keyOf: (item: Item) => string, request: PageRequest): Page<Item> {
  const after = request.cursor === undefined ? undefined : (decodeCursor(keyset, request.cursor)[0] as string);
  const ordered = [...all].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const rest = after === undefined ? ordered : ordered.filter((item) => keyOf(item) > after);
  const items = rest.slice(0, request.limit);
  const more = rest.length > request.limit;
  return {
    items,
    next: more ? encodeCursor(keyset, [keyOf(items.at(-1)!)]) : null,
    ...(after === undefined ? { total: ordered.length } : {}),
  };
}

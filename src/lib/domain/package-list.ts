// The admin's packages table (GET /api/packages): the query it accepts, shared by the server's
// validation and the browser's URL (filters and search live in the page address). Pure TypeScript.
import { z } from 'zod';

export const LIST_STATUSES = ['received', 'held', 'delivered', 'returned'] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];
/** The tabs above the table, in order; `all` shows every status. */
export const STATUS_TABS = ['received', 'held', 'delivered', 'returned', 'all'] as const;
export type StatusTab = (typeof STATUS_TABS)[number];

export const SORT_KEYS = ['receivedAt', 'recipientName', 'status', 'carrier'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
/** `receivedAt` ascending, `-receivedAt` descending; the default is the newest first. */
export const SORTS = SORT_KEYS.flatMap((k) => [k, `-${k}`] as const);
export type Sort = (typeof SORTS)[number];
export const DEFAULT_SORT: Sort = '-receivedAt';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;
/** The search box takes at most this many characters (longer input is refused, not cut). */
export const MAX_Q = 100;

const uuid = z
  .string()
  .uuid()
  .transform((s) => s.toLowerCase());
/** A calendar date (YYYY-MM-DD) that exists. */
export const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'No such date');

/** A query-string value: empty means "not set" (a cleared filter in the URL). */
const opt = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

export const packageListQuery = z
  .object({
    status: opt(z.enum(STATUS_TABS)).describe('A status tab; all (or none) lists every status'),
    q: opt(z.string().trim().max(MAX_Q)).describe('Tracking number (or its last digits), recipient, sender or notes'),
    carrier: opt(z.string().trim().min(1).max(40)),
    recipientId: opt(uuid),
    departmentId: opt(uuid).describe("The recipient's department"),
    locationId: opt(uuid),
    receivedById: opt(uuid).describe('The operator who logged the package'),
    waitingDays: opt(z.coerce.number().int().min(0).max(3650)).describe(
      'Open packages (received or held) waiting more than this many days',
    ),
    from: opt(day).describe("First date of receipt, in the facility's time zone"),
    to: opt(day).describe("Last date of receipt (inclusive), in the facility's time zone"),
    sort: opt(z.enum(SORTS as unknown as [Sort, ...Sort[]])).describe('A column, - for descending; default -receivedAt'),
    cursor: opt(
      z
        .string()
        .max(1000)
        .regex(/^[A-Za-z0-9_-]+$/, 'Not a cursor'),
    ),
    limit: opt(z.coerce.number().int().min(1).max(MAX_LIMIT)),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: 'from must not be after to', path: ['to'] });

export type PackageListQuery = z.output<typeof packageListQuery>;

/** The filters that go into the page address, in a stable order (no cursor: a link opens page one). */
export const URL_FILTERS = [
  'status',
  'q',
  'carrier',
  'recipientId',
  'departmentId',
  'locationId',
  'receivedById',
  'waitingDays',
  'from',
  'to',
  'sort',
] as const;
export type UrlFilter = (typeof URL_FILTERS)[number];

/** Builds the query string of a list request (or a page address) from filter values; empties are left out. */
export function listSearchParams(values: Partial<Record<UrlFilter | 'cursor' | 'limit', string | number | undefined | null>>) {
  const p = new URLSearchParams();
  for (const k of [...URL_FILTERS, 'cursor', 'limit'] as const) {
    const v = values[k];
    if (v !== undefined && v !== null && String(v).trim() !== '') p.set(k, String(v).trim());
  }
  return p;
}

/** Reads the filters of a page address, dropping values the server would refuse (a hand-edited URL). */
export function filtersFromUrl(params: URLSearchParams): Partial<Record<UrlFilter, string>> {
  const raw: Record<string, string> = {};
  for (const k of URL_FILTERS) {
    const v = params.get(k);
    if (v) raw[k] = v;
  }
  const out: Partial<Record<UrlFilter, string>> = {};
  for (const k of URL_FILTERS) {
    if (raw[k] === undefined) continue;
    const one = packageListQuery.safeParse({ [k]: raw[k] });
    if (one.success) out[k] = raw[k];
  }
  return out;
}

/** Splits a sort into its column and direction. */
export function parseSort(sort: Sort | undefined): { key: SortKey; desc: boolean } {
  const s = sort ?? DEFAULT_SORT;
  return s.startsWith('-') ? { key: s.slice(1) as SortKey, desc: true } : { key: s as SortKey, desc: false };
}

/** The sort a click on a column header asks for: the same column flips, a new one starts in its natural direction. */
export function nextSort(current: Sort | undefined, key: SortKey): Sort {
  const { key: k, desc } = parseSort(current);
  if (k === key) return (desc ? key : `-${key}`) as Sort;
  return (key === 'receivedAt' ? `-${key}` : key) as Sort;
}

/**
 * The words the search looks for: each must appear (in any case) in the tracking number, the
 * recipient, the sender or the notes, so "4411" finds a tracking number by its last digits and
 * "lov ada" finds Ada Lovelace.
 */
export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  return q
    .split(/\s+/)
    .map((w) => w.trim())
    .filter(Boolean)
    .slice(0, 8);
}

/** A term as a LIKE pattern matching it anywhere, its wildcards taken literally. */
export const containsPattern = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** One row of the packages table. */
const item = z.strictObject({
  id: z.string(),
  trackingNumber: z.string(),
  carrier: z.string(),
  status: z.enum(LIST_STATUSES),
  recipientId: z.string().nullable(),
  recipientName: z.string(),
  departmentId: z.string().nullable(),
  departmentName: z.string().nullable(),
  sender: z.string().nullable(),
  locationId: z.string().nullable(),
  locationName: z.string().nullable(),
  shelf: z.string().nullable(),
  notes: z.string().nullable(),
  holdNote: z.string().nullable(),
  holdReason: z.string().nullable(),
  returnReason: z.string().nullable(),
  receivedAt: z.string(),
  heldAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  returnedAt: z.string().nullable(),
  deliveredTo: z.string().nullable(),
  receivedById: z.string().nullable().describe('The operator who logged it'),
  receivedByName: z.string().nullable(),
  version: z.number().int(),
});
/** One row of the packages table, for answers that list packages too (the AI search, ai.ts). */
export const packageListItem = item;

/** The answer of GET /api/packages (the server's OpenAPI document and the browser's type). */
export const packageListResponse = z.strictObject({
  items: z.array(item),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last page'),
  counts: z
    .strictObject({
      received: z.number().int(),
      held: z.number().int(),
      delivered: z.number().int(),
      returned: z.number().int(),
      all: z.number().int(),
    })
    .nullable()
    .describe('Live packages per status tab under the same filters (the status aside); null on pages after the first'),
  sort: z.enum(SORTS as unknown as [Sort, ...Sort[]]),
});
export type PackageListResponse = z.infer<typeof packageListResponse>;
export type ListedPackageItem = z.infer<typeof item>;

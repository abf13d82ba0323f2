// The packages table's queries (GET /api/packages): one page of live packages in a sort order,
// resumed after a keyset, and the count per status under the same filters. Every query names the
// facility and runs in its scoped transaction (row-level security binds it too).
import { containsPattern, searchTerms, type ListStatus, type SortKey } from '../../../src/lib/domain/package-list.ts';
import type { Tx } from '../db/index.ts';

export interface ListFilters {
  status?: ListStatus;
  q?: string;
  carrier?: string;
  recipientId?: string;
  departmentId?: string;
  locationId?: string;
  receivedById?: string;
  waitingDays?: number;
  /** Dates of receipt (YYYY-MM-DD, inclusive) in `timezone`. */
  from?: string;
  to?: string;
  timezone: string;
}

export interface Keyset {
  /** The last row's sort value (an ISO time for receivedAt). */
  value: string;
  id: string;
}

export interface ListedPackage {
  id: string;
  trackingNumber: string;
  carrier: string;
  status: ListStatus;
  recipientId: string | null;
  recipientName: string;
  departmentId: string | null;
  departmentName: string | null;
  sender: string | null;
  locationId: string | null;
  locationName: string | null;
  shelf: string | null;
  notes: string | null;
  holdNote: string | null;
  holdReason: string | null;
  returnReason: string | null;
  receivedAt: string;
  heldAt: string | null;
  deliveredAt: string | null;
  returnedAt: string | null;
  deliveredTo: string | null;
  receivedById: string | null;
  receivedByName: string | null;
  version: number;
}

const COLUMN: Record<SortKey, string> = {
  receivedAt: 'p."receivedAt"',
  recipientName: 'p."recipientName"',
  status: 'p.status',
  carrier: 'p.carrier',
};
/** How a cursor's sort value is read back as the column's type. */
const CAST: Record<SortKey, string> = {
  receivedAt: '::timestamp',
  recipientName: '::text',
  status: '::"PackageStatus"',
  carrier: '::text',
};

/** The searched fields as one text (the expression of the index packages_search_trgm). */
const SEARCH_TEXT = `(p."trackingNumber" || ' ' || p."recipientName" || ' ' || coalesce(p."sender", '') || ' ' || coalesce(p."notes", ''))`;

/**
 * The rows a query starts from, as `p`: the facility's packages, or with a search, the packages the
 * first term finds through package_search_rows (migration packages_table_search): the trigram index,
 * within the transaction's facility. Row-level security keeps an index from serving ILIKE.
 */
function packagesFrom(w: Where, f: ListFilters): string {
  const [first] = searchTerms(f.q);
  return first ? `package_search_rows(${w.p(containsPattern(first))}) p` : 'packages p';
}

const iso = (col: string) => `to_char(${col}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** WHERE conditions and their parameters ($1 is the facility). */
class Where {
  readonly params: unknown[];
  readonly parts: string[] = ['p."facilityId" = $1::uuid', 'p."deletedAt" IS NULL'];
  constructor(facilityId: string) {
    this.params = [facilityId];
  }
  p(v: unknown) {
    this.params.push(v);
    return `$${this.params.length}`;
  }
  add(sql: string) {
    this.parts.push(sql);
  }
  get sql() {
    return this.parts.join(' AND ');
  }
}

function filtered(facilityId: string, f: ListFilters, withStatus: boolean): Where {
  const w = new Where(facilityId);
  if (withStatus && f.status) w.add(`p.status = ${w.p(f.status)}::"PackageStatus"`);
  if (f.carrier) w.add(`p.carrier = ${w.p(f.carrier.toLowerCase())}`);
  if (f.recipientId) w.add(`p."recipientId" = ${w.p(f.recipientId)}::uuid`);
  if (f.locationId) w.add(`p."locationId" = ${w.p(f.locationId)}::uuid`);
  if (f.receivedById) w.add(`p."receivedById" = ${w.p(f.receivedById)}::uuid`);
  if (f.departmentId) {
    w.add(
      `p."recipientId" IN (SELECT r.id FROM recipients r WHERE r."facilityId" = $1::uuid AND r."departmentId" = ${w.p(f.departmentId)}::uuid)`,
    );
  }
  if (f.waitingDays != null) {
    w.add(
      `p.status IN ('received', 'held') AND p."receivedAt" < (now() AT TIME ZONE 'UTC') - make_interval(days => ${w.p(f.waitingDays)}::int)`,
    );
  }
  // A date of receipt is a calendar day in the facility's time zone; receivedAt is stored in UTC.
  if (f.from || f.to) {
    const tz = w.p(f.timezone);
    if (f.from) w.add(`p."receivedAt" >= ((${w.p(f.from)}::date)::timestamp AT TIME ZONE ${tz}) AT TIME ZONE 'UTC'`);
    if (f.to) w.add(`p."receivedAt" < ((${w.p(f.to)}::date + 1)::timestamp AT TIME ZONE ${tz}) AT TIME ZONE 'UTC'`);
  }
  // The first search term is the row source (packagesFrom); each further one filters its rows.
  for (const term of searchTerms(f.q).slice(1)) w.add(`${SEARCH_TEXT} ILIKE ${w.p(containsPattern(term))}`);
  return w;
}

/** One page: at most `limit` rows after `after` in the order `key` (`desc` newest/last first), id breaking ties. */
export async function listPackages(
  tx: Tx,
  facilityId: string,
  f: ListFilters,
  order: { key: SortKey; desc: boolean },
  after: Keyset | null,
  limit: number,
): Promise<{ rows: ListedPackage[]; keys: string[] }> {
  const w = filtered(facilityId, f, true);
  const from = packagesFrom(w, f);
  const col = COLUMN[order.key];
  if (after) w.add(`(${col}, p.id) ${order.desc ? '<' : '>'} (${w.p(after.value)}${CAST[order.key]}, ${w.p(after.id)}::uuid)`);
  const dir = order.desc ? 'DESC' : 'ASC';
  const sortValue = order.key === 'receivedAt' ? iso('p."receivedAt"') : `${col}::text`;
  // The page is cut first (an index walk, or the search's rows), then joined for its names.
  const rows = await tx.$queryRawUnsafe<(ListedPackage & { sortValue: string })[]>(
    `${pageSelect(sortValue)}
       FROM (SELECT p.* FROM ${from} WHERE ${w.sql} ORDER BY ${col} ${dir}, p.id ${dir} LIMIT ${Math.floor(limit)}) p
       ${NAME_JOINS}
      ORDER BY ${col} ${dir}, p.id ${dir}`,
    ...w.params,
  );
  return pageOf(rows);
}

/** The page's columns, named for ListedPackage, with the sort value the cursor carries. */
const pageSelect = (sortValue: string) =>
  `SELECT p.id::text AS id, p."trackingNumber", p.carrier, p.status::text AS status, p."recipientId"::text AS "recipientId",
            p."recipientName", r."departmentId"::text AS "departmentId", d.name AS "departmentName", p.sender,
            p."locationId"::text AS "locationId", l.name AS "locationName", p.shelf, p.notes, p."holdNote", p."holdReason",
            p."returnReason", ${iso('p."receivedAt"')} AS "receivedAt", ${iso('p."heldAt"')} AS "heldAt",
            ${iso('p."deliveredAt"')} AS "deliveredAt", ${iso('p."returnedAt"')} AS "returnedAt", p."deliveredTo",
            p."receivedById"::text AS "receivedById", u.name AS "receivedByName", p.version, ${sortValue} AS "sortValue"`;

/** The names a page shows: department, location and operator (joined after the page is cut). */
const NAME_JOINS = `LEFT JOIN recipients r ON r."facilityId" = p."facilityId" AND r.id = p."recipientId"
       LEFT JOIN departments d ON d."facilityId" = p."facilityId" AND d.id = r."departmentId" AND d."deletedAt" IS NULL
       LEFT JOIN locations l ON l."facilityId" = p."facilityId" AND l.id = p."locationId"
       LEFT JOIN users u ON u.id = p."receivedById"`;

const pageOf = (rows: (ListedPackage & { sortValue: string })[]) => ({
  rows: rows.map(({ sortValue: _s, ...row }) => ({ ...row, version: Number(row.version) })),
  keys: rows.map((r) => r.sortValue),
});

/**
 * The first page of a search and its counts per status in one statement: the search's rows are
 * read once (a materialised CTE) and both the page and the counts come from them, where the two
 * separate queries read every matched row twice.
 */
export async function searchFirstPageWithCounts(
  tx: Tx,
  facilityId: string,
  f: ListFilters,
  order: { key: SortKey; desc: boolean },
  limit: number,
): Promise<{ rows: ListedPackage[]; keys: string[]; counts: Record<ListStatus, number> }> {
  const w = filtered(facilityId, f, false);
  const from = packagesFrom(w, f);
  const status = f.status ? `p.status = ${w.p(f.status)}::"PackageStatus"` : 'true';
  const col = COLUMN[order.key];
  const dir = order.desc ? 'DESC' : 'ASC';
  const sortValue = order.key === 'receivedAt' ? iso('p."receivedAt"') : `${col}::text`;
  const rows = await tx.$queryRawUnsafe<
    (ListedPackage & { sortValue: string | null; counts: Record<string, number>; ord: number | null })[]
  >(
    `WITH m AS MATERIALIZED (SELECT p.* FROM ${from} WHERE ${w.sql}),
          c AS (SELECT coalesce(json_object_agg(s.status, s.n), '{}'::json) AS counts
                  FROM (SELECT p.status::text AS status, count(*)::int AS n FROM m p GROUP BY p.status) s)
     SELECT c.counts, x.* FROM c
       LEFT JOIN LATERAL (
         ${pageSelect(sortValue)}, row_number() OVER (ORDER BY ${col} ${dir}, p.id ${dir}) AS ord
           FROM (SELECT p.* FROM m p WHERE ${status} ORDER BY ${col} ${dir}, p.id ${dir} LIMIT ${Math.floor(limit)}) p
           ${NAME_JOINS}
       ) x ON true
      ORDER BY x.ord`,
    ...w.params,
  );
  const counts: Record<ListStatus, number> = { received: 0, held: 0, delivered: 0, returned: 0 };
  for (const [k, n] of Object.entries(rows[0]?.counts ?? {})) counts[k as ListStatus] = Number(n);
  const found = rows.filter((r) => r.id !== null).map(({ counts: _c, ord: _o, ...r }) => r as ListedPackage & { sortValue: string });
  return { ...pageOf(found), counts };
}

/** The number of live packages per status under the filters (the status filter aside). */
export async function countPackagesByStatus(tx: Tx, facilityId: string, f: ListFilters): Promise<Record<ListStatus, number>> {
  const w = filtered(facilityId, f, false);
  const from = packagesFrom(w, f);
  const rows = await tx.$queryRawUnsafe<{ status: ListStatus; n: number }[]>(
    `SELECT p.status::text AS status, count(*)::int AS n FROM ${from} WHERE ${w.sql} GROUP BY p.status`,
    ...w.params,
  );
  const counts: Record<ListStatus, number> = { received: 0, held: 0, delivered: 0, returned: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

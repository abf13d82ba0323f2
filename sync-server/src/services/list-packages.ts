// GET /api/packages (http-api.md "Packages and custody"): the admin's packages table. Live packages
// of the actor's facility, filtered, searched, sorted and paged by an opaque keyset cursor, with the
// count per status tab under the same filters. Any member may read (package.read).
import { createHash } from 'node:crypto';
import { DEFAULT_LIMIT, parseSort, searchTerms, type PackageListQuery, type Sort } from '../../../src/lib/domain/package-list.ts';
import type { Deps } from '../context.ts';
import { AppError } from '../http/errors.ts';
import {
  countPackagesByStatus,
  listPackages,
  searchFirstPageWithCounts,
  type Keyset,
  type ListFilters,
} from '../repositories/package-list.ts';
import { authorize, type Actor } from './resolve-actor.ts';

const invalidCursor = () => new AppError(400, 'invalid_cursor', 'This page link belongs to another list; start from the first page');

/** A short tag of the facility, so a cursor cannot be replayed in another one (nor names it). */
const facilityTag = (facilityId: string) => createHash('sha256').update(`packages-list:${facilityId}`).digest('base64url').slice(0, 12);

export function encodeCursor(facilityId: string, sort: Sort, key: Keyset): string {
  return Buffer.from(JSON.stringify({ f: facilityTag(facilityId), s: sort, v: key.value, i: key.id })).toString('base64url');
}

export function decodeCursor(cursor: string, facilityId: string, sort: Sort): Keyset {
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const c = data as { f?: unknown; s?: unknown; v?: unknown; i?: unknown } | null;
  if (!c || typeof c !== 'object' || c.f !== facilityTag(facilityId) || c.s !== sort) throw invalidCursor();
  if (typeof c.v !== 'string' || c.v.length > 500 || typeof c.i !== 'string' || !/^[0-9a-f-]{36}$/.test(c.i)) throw invalidCursor();
  if (sort.endsWith('receivedAt') && Number.isNaN(Date.parse(c.v))) throw invalidCursor();
  if (sort.endsWith('status') && !['received', 'held', 'delivered', 'returned'].includes(c.v)) throw invalidCursor();
  return { value: c.v, id: c.i };
}

export async function listPackagesFor(deps: Deps, actor: Actor, q: PackageListQuery) {
  authorize(actor, 'package.read');
  const sort: Sort = q.sort ?? '-receivedAt';
  const after = q.cursor ? decodeCursor(q.cursor, actor.facilityId, sort) : null;
  const limit = q.limit ?? DEFAULT_LIMIT;
  const filters: ListFilters = {
    status: q.status === 'all' ? undefined : q.status,
    q: q.q,
    carrier: q.carrier,
    recipientId: q.recipientId,
    departmentId: q.departmentId,
    locationId: q.locationId,
    receivedById: q.receivedById,
    waitingDays: q.waitingDays,
    from: q.from,
    to: q.to,
    timezone: actor.facility.timezone,
  };
  const { page, counts } = await deps.db.withFacility(actor.facilityId, async (tx) => {
    // A search's first page reads the matched rows once for the page and the counts.
    if (!after && searchTerms(filters.q).length) {
      const { counts, ...page } = await searchFirstPageWithCounts(tx, actor.facilityId, filters, parseSort(sort), limit + 1);
      return { page, counts };
    }
    return {
      page: await listPackages(tx, actor.facilityId, filters, parseSort(sort), after, limit + 1),
      // The tabs' counts come with the first page; later pages (a cursor) leave them out.
      counts: after ? null : await countPackagesByStatus(tx, actor.facilityId, filters),
    };
  });
  const more = page.rows.length > limit;
  const items = page.rows.slice(0, limit);
  const last = items.length - 1;
  return {
    items,
    nextCursor: more ? encodeCursor(actor.facilityId, sort, { value: page.keys[last]!, id: items[last]!.id }) : null,
    counts: counts && { ...counts, all: counts.received + counts.held + counts.delivered + counts.returned },
    sort,
  };
}

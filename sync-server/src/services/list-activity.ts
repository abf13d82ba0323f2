// GET /api/activity: the facility's activity log for admins (team.read: the same people who see the
// team see what it did).
import { ACTIVITY_PAGE_DEFAULT, encodeActivityCursor, type ActivityQuery } from '../../../src/lib/domain/activity.ts';
import { nextDate, startOfLocalDay } from '../../../src/lib/domain/zoned-time.ts';
import type { Deps } from '../context.ts';
import { listActivity } from '../repositories/activity.ts';
import { authorize, type Actor } from './resolve-actor.ts';

export async function readActivity(deps: Deps, actor: Actor, q: ActivityQuery) {
  authorize(actor, 'team.read');
  const tz = actor.facility.timezone;
  const limit = q.limit ?? ACTIVITY_PAGE_DEFAULT;
  const rows = await deps.db.withFacility(actor.facilityId, (tx) =>
    listActivity(tx, actor.facilityId, {
      actorId: q.actorId?.toLowerCase(),
      type: q.type,
      start: q.from ? startOfLocalDay(q.from, tz) : undefined,
      end: q.to ? startOfLocalDay(nextDate(q.to), tz) : undefined,
      cursor: q.cursor,
      limit,
    }),
  );
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeActivityCursor({ at: last.at, id: last.id }) : null };
}

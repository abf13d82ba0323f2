// A facility's deletion at the end of its grace (services/delete-facility.ts): the record in
// facility_deletions and the erasing of every row. These run on the OWNER connection: the record is
// out of the app role's reach, and the custody log's append-only trigger lets a transaction delete
// a facility's package events only when it names that facility in `app.erase_facility`.
import type { Database, Tx } from '../db/index.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { eraseUser } from './my-data.ts';
import { SUBSCRIPTION_STATE } from './facilities.ts';
import type { SubscriptionState } from '../../../src/lib/domain/billing.ts';

export type DeletionReason = 'trial_ended' | 'canceled';
/** Where a deletion stands; each step is done once, and a rerun continues from the recorded one. */
export type DeletionStep = 'started' | 'objects_deleted' | 'rows_deleted' | 'finished';
export type DeletionCounts = Record<string, number>;

export interface DeletionRecord {
  id: string;
  facilityId: string;
  organizationId: string;
  reason: string;
  step: DeletionStep;
  counts: DeletionCounts;
  startedAt: Date;
  finishedAt: Date | null;
}

/**
 * One transaction as the database owner: the pool's connections are ptp_app by SET ROLE, and
 * `SET LOCAL ROLE NONE` returns this one to the login for the transaction only.
 */
export function ownerTransaction<T>(db: Database, fn: (tx: Tx) => Promise<T>, o: { eraseFacilityId?: string } = {}) {
  return db.prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe('SET LOCAL ROLE NONE');
      if (o.eraseFacilityId) await tx.$queryRaw`SELECT set_config('app.erase_facility', ${o.eraseFacilityId}, true)`;
      return fn(tx);
    },
    // A large facility's rows can take a while; nothing else waits on these locks meanwhile.
    { timeout: 10 * 60_000, maxWait: 30_000 },
  );
}

const toRecord = (r: {
  id: string;
  facilityId: string;
  organizationId: string;
  reason: string;
  step: string;
  counts: Prisma.JsonValue;
  startedAt: Date;
  finishedAt: Date | null;
}): DeletionRecord => ({ ...r, step: r.step as DeletionStep, counts: (r.counts ?? {}) as DeletionCounts });

/** Deletions started and not finished (a crashed run's, to resume). */
export const listUnfinishedDeletions = async (tx: Tx) =>
  (await tx.facilityDeletion.findMany({ where: { finishedAt: null }, orderBy: { startedAt: 'asc' } })).map(toRecord);

export const findDeletion = async (tx: Tx, facilityId: string) => {
  const r = await tx.facilityDeletion.findUnique({ where: { facilityId } });
  return r && toRecord(r);
};

/** The facility's subscription, locked until the transaction ends (a webhook's change waits). */
export async function lockSubscription(tx: Tx, facilityId: string): Promise<SubscriptionState | null> {
  const rows = await tx.$queryRaw<SubscriptionState[]>`
    SELECT status::text AS status, "trialEndsAt", "currentPeriodEnd", "canceledAt", "pastDueSince", "cancelAtPeriodEnd"
    FROM subscriptions WHERE "facilityId" = ${facilityId}::uuid FOR UPDATE`;
  return rows[0] ?? null;
}

/**
 * Step 1: the record (once per facility: a rerun finds it) and the facility stops taking writes
 * (inactive: sync push and every write answer 403 read_only from here on).
 */
export async function startDeletion(
  tx: Tx,
  d: { id: string; facilityId: string; organizationId: string; reason: DeletionReason },
  now: Date,
): Promise<DeletionRecord> {
  await tx.facilityDeletion.createMany({ data: [{ ...d, step: 'started', startedAt: now }], skipDuplicates: true });
  await tx.facility.updateMany({ where: { id: d.facilityId, active: true }, data: { active: false, deactivatedAt: now } });
  return (await findDeletion(tx, d.facilityId))!;
}

export async function recordDeletionStep(tx: Tx, facilityId: string, step: DeletionStep, counts: DeletionCounts, finishedAt?: Date) {
  await tx.facilityDeletion.update({
    where: { facilityId },
    data: { step, counts, ...(finishedAt ? { finishedAt } : {}) },
  });
}

/** Every table with a facilityId column except the deletion record itself: what a facility owns. */
async function facilityOwnedTables(tx: Tx): Promise<string[]> {
  const rows = await tx.$queryRaw<{ t: string }[]>`
    SELECT DISTINCT c.table_name AS t FROM information_schema.columns c
    JOIN information_schema.tables x ON x.table_schema = c.table_schema AND x.table_name = c.table_name
    WHERE c.table_schema = current_schema() AND c.column_name = 'facilityId' AND x.table_type = 'BASE TABLE'
      AND c.table_name <> 'facility_deletions'
    ORDER BY 1`;
  return rows.map((r) => r.t);
}

/**
 * Steps 3 and 4 in one transaction (run it through ownerTransaction with eraseFacilityId): every
 * row the facility owns — found by walking the schema, so a table added later is not forgotten —
 * then the facility; sessions active in it move to the user's next facility (or none); and, when
 * it was the organization's last facility, the organization and each of the facility's people (its
 * members and the owner) who has no membership left and owns no other organization. Answers the
 * rows deleted per table.
 */
export async function eraseFacilityRows(tx: Tx, facilityId: string, organizationId: string): Promise<DeletionCounts> {
  const counts: DeletionCounts = {};
  const facility = await tx.facility.findUnique({ where: { id: facilityId }, select: { id: true } });
  const org = await tx.organization.findUnique({ where: { id: organizationId }, select: { ownerUserId: true } });
  const members = await tx.membership.findMany({ where: { facilityId }, select: { userId: true } });
  const people = [...new Set([...members.map((m) => m.userId), ...(org ? [org.ownerUserId] : [])])];

  if (facility) {
    for (const table of await facilityOwnedTables(tx)) {
      const n = await tx.$executeRawUnsafe(`DELETE FROM "${table}" WHERE "facilityId" = $1::uuid`, facilityId);
      if (n) counts[table] = n;
    }
    counts.sessions_moved = await tx.$executeRaw`
      UPDATE sessions s SET "activeFacilityId" = (
        SELECT m."facilityId" FROM memberships m WHERE m."userId" = s."userId" ORDER BY m."createdAt" LIMIT 1
      ) WHERE s."activeFacilityId" = ${facilityId}::uuid`;
    counts.facilities = await tx.$executeRaw`DELETE FROM facilities WHERE id = ${facilityId}::uuid`;
  }

  if (org && (await tx.facility.count({ where: { organizationId } })) === 0) {
    counts.invitations = (counts.invitations ?? 0) + (await tx.invitation.deleteMany({ where: { organizationId } })).count;
    counts.organizations = (await tx.organization.deleteMany({ where: { id: organizationId } })).count;
    let users = 0;
    let erased = 0;
    for (const userId of people) {
      const keeps =
        (await tx.membership.count({ where: { userId } })) > 0 || (await tx.organization.count({ where: { ownerUserId: userId } })) > 0;
      if (keeps) continue;
      // Someone another facility's custody or activity log still names (a member who left it
      // earlier) is erased like a deleted account — the row stays as "Former member", with no
      // email, password or sessions — so that log keeps naming someone. Everyone else is deleted;
      // their sessions, password resets and device registrations go with them (ON DELETE CASCADE).
      const [named] = await tx.$queryRaw<{ n: number }[]>`
        SELECT (EXISTS (SELECT 1 FROM package_events WHERE "actorId" = ${userId}::uuid)
             OR EXISTS (SELECT 1 FROM audit_events WHERE "actorId" = ${userId}::uuid))::int AS n`;
      const sessions = await tx.session.deleteMany({ where: { userId } });
      counts.sessions = (counts.sessions ?? 0) + sessions.count;
      if (named!.n) {
        await eraseUser(tx, userId, new Date());
        erased++;
      } else {
        const resets = await tx.passwordReset.deleteMany({ where: { userId } });
        counts.password_resets = (counts.password_resets ?? 0) + resets.count;
        users += (await tx.user.deleteMany({ where: { id: userId } })).count;
      }
    }
    counts.users = users;
    if (erased) counts.users_erased = erased;
  }
  return counts;
}

/** Facilities under a subscription, with what decides their deletion. */
export const listSubscribedFacilities = (db: Database) =>
  db.prisma.facility.findMany({
    where: { subscription: { isNot: null } },
    select: {
      id: true,
      organizationId: true,
      subscription: { select: SUBSCRIPTION_STATE },
    },
  });

// Notifications as people see them: the admins' delivery log, one message, a failed row queued
// again, the bell of the user a recipient links to, and that link itself. Every query runs in the
// facility's transaction (row-level security) and names the facility.
import type { ActivityCursor } from '../../../src/lib/domain/activity.ts';
import type { Tx } from '../db/index.ts';

export interface NotificationLogRow {
  id: string;
  kind: string;
  channel: string;
  to: string | null;
  status: string;
  packageId: string | null;
  trackingNumber: string | null;
  recipientId: string | null;
  recipientName: string | null;
  createdAt: string;
  sentAt: string | null;
  error: string | null;
  attempts: number;
  hasMessage: boolean;
}

export interface NotificationMessageRow extends NotificationLogRow {
  subject: string | null;
  bodyText: string | null;
  bodyHtml: string | null;
}

export interface NotificationLogFilter {
  status?: string;
  channel?: string;
  /** Stored kinds (old rows carry package_received…). */
  kinds?: string[];
  cursor?: ActivityCursor;
  limit: number;
}

const iso = (col: string) => `to_char(${col}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const utc = (d: string) => d.replace('Z', '');

const LOG_COLUMNS = `n.id::text AS id, n.kind, n.channel, n."to", n.status, n."packageId"::text AS "packageId",
  p."trackingNumber", n."recipientId"::text AS "recipientId", r.name AS "recipientName",
  ${iso('n."createdAt"')} AS "createdAt", ${iso('n."sentAt"')} AS "sentAt", n.error, n.attempts,
  (n."bodyText" IS NOT NULL OR n."bodyHtml" IS NOT NULL) AS "hasMessage"`;
const LOG_FROM = `notifications n
  LEFT JOIN packages p ON p."facilityId" = n."facilityId" AND p.id = n."packageId"
  LEFT JOIN recipients r ON r."facilityId" = n."facilityId" AND r.id = n."recipientId"`;

/** One page of the log, newest first, and one more row (so the caller knows another page follows). */
export async function listNotificationLog(tx: Tx, facilityId: string, f: NotificationLogFilter): Promise<NotificationLogRow[]> {
  const params: unknown[] = [facilityId];
  const where = ['n."facilityId" = $1::uuid', 'n."deletedAt" IS NULL'];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (f.status) add((n) => `n.status = ${n}`, f.status);
  if (f.channel) add((n) => `n.channel = ${n}`, f.channel);
  if (f.kinds) add((n) => `n.kind = ANY(${n}::text[])`, f.kinds);
  if (f.cursor) {
    params.push(utc(f.cursor.at), f.cursor.id);
    where.push(`(n."createdAt", n.id) < ($${params.length - 1}::timestamp, $${params.length}::uuid)`);
  }
  params.push(f.limit + 1);
  return tx.$queryRawUnsafe<NotificationLogRow[]>(
    `SELECT ${LOG_COLUMNS} FROM ${LOG_FROM}
      WHERE ${where.join(' AND ')}
      ORDER BY n."createdAt" DESC, n.id DESC
      LIMIT $${params.length}`,
    ...params,
  );
}

export async function readNotificationMessage(tx: Tx, facilityId: string, id: string): Promise<NotificationMessageRow | null> {
  const rows = await tx.$queryRawUnsafe<NotificationMessageRow[]>(
    `SELECT ${LOG_COLUMNS}, n.subject, n."bodyText", n."bodyHtml" FROM ${LOG_FROM}
      WHERE n."facilityId" = $1::uuid AND n.id = $2::uuid AND n."deletedAt" IS NULL`,
    facilityId,
    id,
  );
  return rows[0] ?? null;
}

/**
 * Queues a failed row again, as the same row (the agreement with the sender): a fresh message id,
 * no attempts, no error, due now. Answers what the row was, so the caller can tell a missing row
 * from one that is not failed; only a failed row changes (the WHERE holds under concurrent resends).
 */
export async function requeueFailed(tx: Tx, facilityId: string, id: string): Promise<'requeued' | 'not_found' | 'not_failed'> {
  const changed = await tx.$executeRaw`
    UPDATE notifications SET status = 'queued', "messageId" = NULL, attempts = 0, error = NULL, "nextAttemptAt" = NULL
     WHERE "facilityId" = ${facilityId}::uuid AND id = ${id}::uuid AND status = 'failed' AND "deletedAt" IS NULL`;
  if (changed) return 'requeued';
  const exists = await tx.notification.count({ where: { facilityId, id, deletedAt: null } });
  return exists ? 'not_failed' : 'not_found';
}

// ---- The bell --------------------------------------------------------------------------------

export interface BellRow {
  id: string;
  kind: string;
  packageId: string | null;
  trackingNumber: string | null;
  createdAt: string;
  readAt: string | null;
}

const BELL_WHERE = `n."facilityId" = $1::uuid AND n."userId" = $2::uuid AND n.channel = 'inapp' AND n.status = 'sent' AND n."deletedAt" IS NULL`;

/** The user's own in-app notifications in this facility, newest first, and how many are unread. */
export async function listBell(tx: Tx, facilityId: string, userId: string, limit: number): Promise<{ items: BellRow[]; unread: number }> {
  const items = await tx.$queryRawUnsafe<BellRow[]>(
    `SELECT n.id::text AS id, n.kind, n."packageId"::text AS "packageId", p."trackingNumber",
            ${iso('n."createdAt"')} AS "createdAt", ${iso('n."readAt"')} AS "readAt"
       FROM notifications n
       LEFT JOIN packages p ON p."facilityId" = n."facilityId" AND p.id = n."packageId"
      WHERE ${BELL_WHERE}
      ORDER BY n."createdAt" DESC, n.id DESC
      LIMIT $3`,
    facilityId,
    userId,
    limit,
  );
  return { items, unread: await countUnread(tx, facilityId, userId) };
}

export async function countUnread(tx: Tx, facilityId: string, userId: string): Promise<number> {
  const [row] = await tx.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM notifications n WHERE ${BELL_WHERE} AND n."readAt" IS NULL`,
    facilityId,
    userId,
  );
  return row?.n ?? 0;
}

/** Marks the user's own rows read (`ids` of someone else's rows change nothing). */
export async function markRead(tx: Tx, facilityId: string, userId: string, ids: string[] | 'all'): Promise<void> {
  const params: unknown[] = [facilityId, userId];
  let only = '';
  if (ids !== 'all') {
    params.push(ids);
    only = ' AND n.id = ANY($3::uuid[])';
  }
  await tx.$executeRawUnsafe(`UPDATE notifications n SET "readAt" = now() WHERE ${BELL_WHERE} AND n."readAt" IS NULL${only}`, ...params);
}

// ---- Who a recipient is ----------------------------------------------------------------------

/**
 * The one rule linking a directory entry to an account: the user's proven address
 * (users.emailVerifiedAt) equals the recipient's email, ignoring case, and the user is a member of
 * the facility (the bell shows the active facility's rows only, so nobody else could read them).
 * As SQL joining `u` (users) to a recipient's `email` in `facility` (the outbox's statement in
 * sync.ts queueNotifications uses it too).
 */
export const linkedUserJoin = (email: string, facility: string) =>
  `JOIN users u ON lower(u.email) = lower(${email}) AND u."emailVerifiedAt" IS NOT NULL AND u."deletedAt" IS NULL
   JOIN memberships m ON m."userId" = u.id AND m."facilityId" = ${facility}`;

/** recipientId → userId for the linked ones among `recipientIds` (linkedUserJoin). */
export async function linkedUserIds(tx: Tx, facilityId: string, recipientIds: string[]): Promise<Map<string, string>> {
  if (!recipientIds.length) return new Map();
  const rows = await tx.$queryRawUnsafe<{ recipientId: string; userId: string }[]>(
    `SELECT r.id::text AS "recipientId", u.id::text AS "userId"
       FROM recipients r ${linkedUserJoin('r.email', 'r."facilityId"')}
      WHERE r."facilityId" = $1::uuid AND r.id = ANY($2::uuid[]) AND r."deletedAt" IS NULL AND r.email IS NOT NULL`,
    facilityId,
    recipientIds,
  );
  return new Map(rows.map((r) => [r.recipientId, r.userId]));
}

/** The facility's live directory entries carrying `email` (a user's own entries). */
export const recipientsWithEmail = (tx: Tx, facilityId: string, email: string) =>
  tx.recipient.findMany({
    where: { facilityId, deletedAt: null, email: { equals: email, mode: 'insensitive' } },
    select: { id: true, name: true, email: true, phone: true, notifyEmail: true, notifySms: true },
    orderBy: { name: 'asc' },
  });

export const findRecipient = (tx: Tx, facilityId: string, id: string) =>
  tx.recipient.findFirst({
    where: { facilityId, id },
    select: { id: true, name: true, email: true, phone: true, notifyEmail: true, notifySms: true, deletedAt: true },
  });

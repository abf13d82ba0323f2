// The notification outbox as the sender sees it: due rows claimed into messages, a message's rows,
// its outcome, and what reminders need. Facility-scoped: every function runs inside
// `withFacility(facilityId, …)` and names the facility it reads.
import type { Tx } from '../db/index.ts';

export interface DueNotification {
  id: string;
  packageId: string | null;
  recipientId: string | null;
  userId: string | null;
  kind: string;
  channel: string;
  to: string | null;
  createdAt: Date;
}

/**
 * Queued rows no message holds yet and whose time has come, locked for this transaction; rows
 * another process is claiming right now are skipped (FOR UPDATE SKIP LOCKED), so a row joins
 * exactly one message however many processes sweep at once. Received rows come last: those still
 * inside their batching window must not keep other kinds waiting.
 */
export function lockUnclaimedNotifications(tx: Tx, facilityId: string, now: Date, limit: number) {
  return tx.$queryRawUnsafe<DueNotification[]>(
    `SELECT id, "packageId", "recipientId", "userId", kind, channel, "to", "createdAt"
       FROM notifications
      WHERE "facilityId" = $1::uuid AND status = 'queued' AND "messageId" IS NULL AND "deletedAt" IS NULL
        AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= $2)
      ORDER BY kind = 'received', "createdAt", id
      LIMIT $3
        FOR UPDATE SKIP LOCKED`,
    facilityId,
    now,
    limit,
  );
}

export interface MessageFields {
  messageId: string;
  to: string | null;
  subject: string;
  bodyText: string;
  bodyHtml: string | null;
  /** queued: a job sends it; sent (in-app) or captured: done now. */
  status: 'queued' | 'sent' | 'captured' | 'failed';
  error?: string | null;
  sentAt?: Date | null;
}

/** Writes each message onto its rows, in one statement (a sweep claims thousands at once). */
export async function claimIntoMessages(tx: Tx, facilityId: string, claims: (MessageFields & { ids: string[] })[]) {
  if (!claims.length) return;
  const rows = claims.flatMap((c) => c.ids.map((id) => ({ ...c, ids: undefined, id, sentAt: c.sentAt?.toISOString() ?? null })));
  await tx.$executeRawUnsafe(
    `UPDATE notifications n
        SET "messageId" = x."messageId", "to" = coalesce(x."to", n."to"), subject = x.subject, "bodyText" = x."bodyText",
            "bodyHtml" = x."bodyHtml", status = x.status, error = x.error, "sentAt" = x."sentAt"
       FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, "messageId" uuid, "to" text, subject text, "bodyText" text, "bodyHtml" text,
                                                status text, error text, "sentAt" timestamp)
      WHERE n.id = x.id AND n."facilityId" = $1::uuid AND n.status = 'queued' AND n."messageId" IS NULL`,
    facilityId,
    JSON.stringify(rows),
  );
}

/** What a message says about its packages: each package with where it waits. */
export function loadNoticePackages(tx: Tx, facilityId: string, packageIds: string[]) {
  if (!packageIds.length) return Promise.resolve([]);
  return tx.$queryRawUnsafe<
    {
      id: string;
      trackingNumber: string;
      carrier: string;
      sender: string | null;
      shelf: string | null;
      holdNote: string | null;
      holdReason: string | null;
      receivedAt: Date;
      deliveredTo: string | null;
      deliveredAt: Date | null;
      status: string;
      location: string | null;
    }[]
  >(
    `SELECT p.id, p."trackingNumber", p.carrier, p.sender, p.shelf, p."holdNote", p."holdReason", p."receivedAt",
            p."deliveredTo", p."deliveredAt", p.status::text AS status,
            nullif(concat_ws(', ', l.name, l.building, l.floor), '') AS location
       FROM packages p LEFT JOIN locations l ON l.id = p."locationId" AND l."facilityId" = p."facilityId"
      WHERE p."facilityId" = $1::uuid AND p.id = ANY($2::uuid[])
      ORDER BY p."receivedAt", p.id`,
    facilityId,
    packageIds,
  );
}

export function loadRecipients(tx: Tx, facilityId: string, ids: string[]) {
  return tx.recipient.findMany({ where: { facilityId, id: { in: ids } }, select: { id: true, name: true, email: true, phone: true } });
}

/** The rows of these messages still waiting to go out (none once sent, failed or captured). */
export function queuedRowsOfMessages(tx: Tx, facilityId: string, messageIds: string[]) {
  return tx.notification.findMany({
    where: { facilityId, messageId: { in: messageIds }, status: 'queued' },
    select: {
      id: true,
      messageId: true,
      channel: true,
      to: true,
      subject: true,
      bodyText: true,
      bodyHtml: true,
      recipientId: true,
      kind: true,
      attempts: true,
      createdAt: true,
      lastAttemptAt: true,
    },
  });
}

/**
 * Notes on a message's queued rows that an attempt is about to be made (a provider without an
 * idempotency key is asked about it before a later attempt sends again).
 */
export function markAttemptBegun(tx: Tx, facilityId: string, messageId: string, at: Date) {
  return tx.notification.updateMany({ where: { facilityId, messageId, status: 'queued' }, data: { lastAttemptAt: at } });
}

/** Which of these provider ids (Twilio message SIDs) a notification of the facility already holds. */
export async function recordedProviderIds(tx: Tx, facilityId: string, providerIds: string[]): Promise<string[]> {
  const rows = await tx.notification.findMany({
    where: { facilityId, providerId: { in: providerIds } },
    select: { providerId: true },
  });
  return rows.flatMap((r) => (r.providerId ? [r.providerId] : []));
}

export type Attempt =
  | { status: 'sent'; providerId?: string | null; at: Date }
  | { status: 'failed'; error: string; at: Date }
  | { status: 'queued'; error: string; at: Date; nextAttemptAt: Date | null }
  /** No provider any more (its key removed since): kept on the machine, no attempt made. */
  | { status: 'captured' };

/** Records the outcome of each message's attempt on its queued rows, in one statement. */
export async function recordAttempts(tx: Tx, facilityId: string, attempts: { messageId: string; attempt: Attempt }[]) {
  if (!attempts.length) return;
  const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
  const rows = attempts.map(({ messageId, attempt: a }) => ({
    messageId,
    status: a.status,
    tried: a.status !== 'captured',
    at: a.status === 'captured' ? null : iso(a.at),
    providerId: a.status === 'sent' ? (a.providerId ?? null) : null,
    error: a.status === 'failed' || a.status === 'queued' ? a.error.slice(0, 1000) : null,
    nextAttemptAt: a.status === 'queued' ? iso(a.nextAttemptAt) : null,
  }));
  await tx.$executeRawUnsafe(
    `UPDATE notifications n
        SET status = x.status,
            attempts = n.attempts + CASE WHEN x.tried THEN 1 ELSE 0 END,
            "lastAttemptAt" = coalesce(x.at, n."lastAttemptAt"),
            "sentAt" = CASE WHEN x.status = 'sent' THEN x.at ELSE n."sentAt" END,
            "providerId" = CASE WHEN x.status = 'sent' THEN x."providerId" ELSE n."providerId" END,
            error = CASE WHEN x.status = 'sent' THEN NULL WHEN x.tried THEN x.error ELSE n.error END,
            "nextAttemptAt" = x."nextAttemptAt"
       FROM jsonb_to_recordset($2::jsonb) AS x("messageId" uuid, status text, tried boolean, at timestamp, "providerId" text,
                                                error text, "nextAttemptAt" timestamp)
      WHERE n."facilityId" = $1::uuid AND n."messageId" = x."messageId" AND n.status = 'queued'`,
    facilityId,
    JSON.stringify(rows),
  );
}

/** Messages claimed but still queued with no attempt since `before` (their job was lost): sent again. */
export async function stalledMessages(tx: Tx, facilityId: string, before: Date): Promise<string[]> {
  const rows = await tx.$queryRawUnsafe<{ messageId: string }[]>(
    `SELECT DISTINCT "messageId" FROM notifications
      WHERE "facilityId" = $1::uuid AND status = 'queued' AND "messageId" IS NOT NULL
        AND coalesce("lastAttemptAt", "createdAt") < $2 AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" < $2)
      LIMIT 1000`,
    facilityId,
    before,
  );
  return rows.map((r) => r.messageId);
}

export interface ReminderCandidate {
  recipientId: string;
  name: string;
  email: string;
  packageIds: string[];
  waitingSince: Date[];
  lastReminderAt: Date | null;
}

/**
 * Recipients with packages still waiting (received or held, not deleted) who want email (the
 * recipient's own switch, and no account with their address opted out of non-essential email), with
 * when each package arrived and when they were last reminded (on any channel).
 */
export function reminderCandidates(tx: Tx, facilityId: string, onlyRecipientIds?: string[]) {
  return tx.$queryRawUnsafe<ReminderCandidate[]>(
    `SELECT r.id AS "recipientId", r.name, btrim(r.email) AS email,
            array_agg(p.id ORDER BY p."receivedAt", p.id) AS "packageIds",
            array_agg(p."receivedAt" ORDER BY p."receivedAt", p.id) AS "waitingSince",
            (SELECT max(n."createdAt") FROM notifications n
              WHERE n."facilityId" = r."facilityId" AND n."recipientId" = r.id AND n.kind = 'reminder') AS "lastReminderAt"
       FROM recipients r
       JOIN packages p ON p."recipientId" = r.id AND p."facilityId" = r."facilityId"
      WHERE r."facilityId" = $1::uuid AND r."deletedAt" IS NULL AND r."notifyEmail"
        AND nullif(btrim(r.email), '') IS NOT NULL
        -- "Email me only what is needed" on the account with that address (privacy policy §8).
        AND NOT EXISTS (SELECT 1 FROM users u WHERE lower(u.email) = lower(btrim(r.email)) AND u."emailOptOut")
        AND p."deletedAt" IS NULL AND p.status IN ('received', 'held')
        AND ($2::uuid[] IS NULL OR r.id = ANY($2::uuid[]))
      GROUP BY r.id`,
    facilityId,
    onlyRecipientIds ?? null,
  );
}

/** One reminder run at a time per facility: two at once would remind twice. */
export async function lockReminders(tx: Tx, facilityId: string) {
  await tx.$queryRawUnsafe(`SELECT pg_advisory_xact_lock(hashtextextended('ptp-reminders:' || $1, 0))::text AS locked`, facilityId);
}

export interface SelectedPackage {
  id: string;
  status: string;
  recipientId: string | null;
  recipientEmail: string | null;
}

/** The live packages of the facility among `ids` (others' ids and unknown ids are simply absent). */
export function selectedPackages(tx: Tx, facilityId: string, ids: string[]) {
  return tx.$queryRawUnsafe<SelectedPackage[]>(
    `SELECT p.id, p.status::text AS status, r.id AS "recipientId", nullif(btrim(r.email), '') AS "recipientEmail"
       FROM packages p
       LEFT JOIN recipients r ON r.id = p."recipientId" AND r."facilityId" = p."facilityId" AND r."deletedAt" IS NULL
      WHERE p."facilityId" = $1::uuid AND p."deletedAt" IS NULL AND p.id = ANY($2::uuid[])`,
    facilityId,
    ids,
  );
}

/**
 * One reminder row (email) for a recipient, listing their waiting packages in its body; written at
 * `now` (the run's clock), so the next reminder counts from it.
 */
export function insertReminder(
  tx: Tx,
  facilityId: string,
  row: { id: string; recipientId: string; to: string; version: number; now: Date },
) {
  return tx.notification.create({
    data: {
      id: row.id,
      facilityId,
      recipientId: row.recipientId,
      kind: 'reminder',
      channel: 'email',
      to: row.to,
      status: 'queued',
      version: row.version,
      createdAt: row.now,
    },
  });
}

/** The packages still waiting for a recipient (what a reminder lists when it goes out). */
export async function waitingPackageIds(tx: Tx, facilityId: string, recipientId: string): Promise<string[]> {
  const rows = await tx.package.findMany({
    where: { facilityId, recipientId, deletedAt: null, status: { in: ['received', 'held'] } },
    select: { id: true },
    orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map((r) => r.id);
}

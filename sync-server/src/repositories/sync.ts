// Sync storage: the only code that reads or writes synced rows in bulk. Every function runs inside a
// facility-scoped transaction (db.withFacility), so row-level security confines it to that
// facility, and every query also names the facility explicitly.
import {
  SYNCED_TABLES,
  columnsOf,
  kindOf,
  type AttachmentRow,
  type ColumnKind,
  type DepartmentRow,
  type LocationRow,
  type PackageEventRow,
  type PackageRow,
  type RecipientRow,
  type SyncedTable,
} from '../../../src/lib/domain/sync/rows.ts';
import type { Tx } from '../db/index.ts';
import { linkedUserJoin } from './notifications.ts';
import { DEFAULT_HANDOFF_SETTINGS, type HandOffSettings } from '../../../src/lib/domain/handoff.ts';
import { DEFAULT_NOTIFICATION_DEFAULTS, type NotificationDefaults } from '../../../src/lib/domain/facility-settings.ts';
import { sealEvents } from '../../../src/lib/domain/custody.ts';

/** The SQL table of each synced table. */
export const SQL_TABLE: Record<SyncedTable, string> = {
  packages: 'packages',
  recipients: 'recipients',
  departments: 'departments',
  locations: 'locations',
  packageEvents: 'package_events',
  attachments: 'attachments',
};

const PG_TYPE: Record<ColumnKind, string> = {
  uuid: 'uuid',
  text: 'text',
  int: 'integer',
  bool: 'boolean',
  time: 'timestamp(3)',
  json: 'jsonb',
  PackageStatus: '"PackageStatus"',
  AttachmentKind: '"AttachmentKind"',
};

/**
 * Column name → Postgres type per synced table (the order of `jsonb_to_recordset` columns), derived
 * from the row shapes (rows.ts): the wire columns plus `facilityId`, which rows never carry.
 */
const COLUMNS = Object.fromEntries(
  SYNCED_TABLES.map((t) => [t, Object.fromEntries([['facilityId', 'uuid'], ...columnsOf(t).map(([c, k]) => [c, PG_TYPE[kindOf(k)]])])]),
) as Record<SyncedTable, Record<string, string>>;

/** Timestamp columns of each synced table: Postgres hands them back without a zone; they are UTC. */
const DATE_FIELDS = Object.fromEntries(
  SYNCED_TABLES.map((t) => [t, columnsOf(t).flatMap(([c, k]) => (kindOf(k) === 'time' ? [c] : []))]),
) as Record<SyncedTable, string[]>;

/**
 * A row of table alias `x` as the JSON the wire carries: exactly the row shape's columns (never
 * `facilityId`, `createdAt` or a column rows.ts does not know).
 */
export const rowJsonSql = (table: SyncedTable, x = 'x') =>
  `jsonb_build_object(${columnsOf(table)
    .map(([c]) => `'${c}', ${x}."${c}"`)
    .join(', ')})`;

type Json = Record<string, unknown>;

export function toWireRow(table: SyncedTable, row: Json): Json {
  for (const f of DATE_FIELDS[table]) {
    const v = row[f];
    if (typeof v !== 'string') continue;
    // jsonb drops trailing zeros of the fraction ("…:01.15"); the wire carries the one ISO form
    // every device writes ("…:01.150Z"), so strings compare equal across the round trip.
    const at = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`);
    if (!Number.isNaN(at.getTime())) row[f] = at.toISOString();
  }
  return row;
}

/** The columns a push sends per row: facilityId and version are the same for every row of a push. */
const rowColumns = (table: SyncedTable) => Object.keys(COLUMNS[table]).filter((c) => c !== 'facilityId' && c !== 'version');

/**
 * `INSERT … SELECT` from a JSON array of rows ($1) with the facility ($2) and the version ($3) as
 * parameters. A key missing from a row object reads as NULL in `jsonb_to_recordset`, which is what
 * `rowsJson` relies on to leave nulls out.
 */
function upsertSql(table: SyncedTable, conflict: string, update: readonly string[] | 'nothing', extra: Record<string, string> = {}) {
  const cols = Object.entries({ ...COLUMNS[table], ...extra });
  const names = cols.map(([c]) => `"${c}"`).join(', ');
  const values = cols.map(([c]) => (c === 'facilityId' ? '$2::uuid' : c === 'version' ? '$3::integer' : `x."${c}"`)).join(', ');
  const types = cols
    .filter(([c]) => c !== 'facilityId' && c !== 'version')
    .map(([c, t]) => `"${c}" ${t}`)
    .join(', ');
  const onConflict = update === 'nothing' ? 'DO NOTHING' : `DO UPDATE SET ${update.map((c) => `"${c}" = EXCLUDED."${c}"`).join(', ')}`;
  return `INSERT INTO ${SQL_TABLE[table]} (${names}) SELECT ${values} FROM jsonb_to_recordset($1::jsonb) AS x(${types}) ON CONFLICT ${conflict} ${onConflict}`;
}

/**
 * The rows as the JSON `upsertSql` reads: only the table's columns, and only those that are not
 * null (about half of a new package's 23 columns are): Postgres parses half the JSON for the same
 * rows. Only top-level nulls are left out; a jsonb column's value is sent whole.
 */
function rowsJson(table: SyncedTable, rows: readonly object[], extra: readonly string[] = []): string {
  const cols = [...rowColumns(table), ...extra];
  return JSON.stringify(
    rows.map((row) => {
      const r = row as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const c of cols) if (r[c] != null) out[c] = r[c];
      return out;
    }),
  );
}

/** Server-only columns of package_events: the event's link in its package's custody chain (custody.ts). */
const CHAIN_COLUMNS = { seq: 'integer', hash: 'text', prevHash: 'text' };

const allBut = (table: SyncedTable, ...skip: string[]) => Object.keys(COLUMNS[table]).filter((c) => !skip.includes(c));

const SQL = {
  packages: upsertSql('packages', '(id)', allBut('packages', 'id', 'facilityId')),
  recipients: upsertSql('recipients', '(id)', allBut('recipients', 'id', 'facilityId')),
  departments: upsertSql('departments', '(id)', allBut('departments', 'id', 'facilityId')),
  locations: upsertSql('locations', '(id)', allBut('locations', 'id', 'facilityId')),
  // Events are only ever inserted (the table is append-only), with their custody chain link.
  events: `${upsertSql('packageEvents', '(id)', 'nothing', CHAIN_COLUMNS)} RETURNING id`,
  attachments: upsertSql('attachments', '("facilityId", "packageId", hash, kind)', ['version', 'deletedAt']),
};

// ---------------------------------------------------------------------------------------------
// Push

export type ClientLock = { kind: 'ok'; lastMutationId: number } | { kind: 'foreign' };

/**
 * Registers the client on first use and locks its row for the rest of the transaction, so pushes of
 * one client (two tabs, retries) run one after the other. A clientId that belongs to another user,
 * or to another facility (invisible here under RLS), is `foreign`.
 */
export async function lockSyncClient(tx: Tx, facilityId: string, clientId: string, userId: string): Promise<ClientLock> {
  await tx.$executeRawUnsafe(
    `INSERT INTO sync_clients (id, "userId", "facilityId", "lastMutationId", "updatedAt")
     VALUES ($1::uuid, $2::uuid, $3::uuid, 0, now()) ON CONFLICT (id) DO NOTHING`,
    clientId,
    userId,
    facilityId,
  );
  const rows = await tx.$queryRawUnsafe<{ userId: string; lastMutationId: number }[]>(
    `SELECT "userId"::text, "lastMutationId" FROM sync_clients WHERE id = $1::uuid AND "facilityId" = $2::uuid FOR UPDATE`,
    clientId,
    facilityId,
  );
  const row = rows[0];
  if (!row || row.userId !== userId) return { kind: 'foreign' };
  return { kind: 'ok', lastMutationId: row.lastMutationId };
}

export async function readLastMutationId(tx: Tx, facilityId: string, clientId: string, userId: string): Promise<number | 'foreign'> {
  const rows = await tx.$queryRawUnsafe<{ userId: string; lastMutationId: number }[]>(
    `SELECT "userId"::text, "lastMutationId" FROM sync_clients WHERE id = $1::uuid AND "facilityId" = $2::uuid`,
    clientId,
    facilityId,
  );
  if (rows[0]) return rows[0].userId === userId ? rows[0].lastMutationId : 'foreign';
  // Unknown here: new (0), or registered in another facility, which RLS hides.
  return (await idsTakenElsewhere(tx, 'sync_clients', [clientId])).size ? 'foreign' : 0;
}

export async function setLastMutationId(tx: Tx, facilityId: string, clientId: string, id: number) {
  await tx.$executeRawUnsafe(
    `UPDATE sync_clients SET "lastMutationId" = $3, "updatedAt" = now() WHERE id = $1::uuid AND "facilityId" = $2::uuid`,
    clientId,
    facilityId,
    id,
  );
}

/** Takes the facility's next sync version and holds the facility's row lock until commit. */
export async function takeVersion(tx: Tx, facilityId: string): Promise<number> {
  const rows = await tx.$queryRawUnsafe<{ v: number }[]>(
    `UPDATE facilities SET "syncVersion" = "syncVersion" + 1 WHERE id = $1::uuid RETURNING "syncVersion" AS v`,
    facilityId,
  );
  if (!rows[0]) throw new Error('facility not found');
  return rows[0].v;
}

/**
 * Holds the facility's version lock without taking a version: a writer that must read before it
 * knows whether it writes (the directory import) orders itself with pushes, then takeVersion if so.
 */
export async function lockFacilityVersion(tx: Tx, facilityId: string): Promise<void> {
  await tx.$queryRawUnsafe(`SELECT 1 FROM facilities WHERE id = $1::uuid FOR UPDATE`, facilityId);
}

/** Rows of the facility by id, soft-deleted ones included, in their wire shape. */
async function loadRows<R>(tx: Tx, table: 'locations' | 'departments', facilityId: string, ids: string[]): Promise<R[]> {
  if (!ids.length) return [];
  const rows = await tx.$queryRawUnsafe<{ row: Json }[]>(
    `SELECT ${rowJsonSql(table)} AS row FROM ${table} x WHERE "facilityId" = $1::uuid AND id = ANY($2::uuid[])`,
    facilityId,
    ids,
  );
  return rows.map((r) => toWireRow(table, r.row) as unknown as R);
}

export const loadLocations = (tx: Tx, facilityId: string, ids: string[]) => loadRows<LocationRow>(tx, 'locations', facilityId, ids);
export const loadDepartments = (tx: Tx, facilityId: string, ids: string[]) => loadRows<DepartmentRow>(tx, 'departments', facilityId, ids);

/** The live, open (received or held) packages of these recipients: what a merge re-points. */
export async function loadOpenPackagesOf(tx: Tx, facilityId: string, recipientIds: string[]): Promise<PackageRow[]> {
  if (!recipientIds.length) return [];
  const rows = await tx.$queryRawUnsafe<{ row: Json }[]>(
    `SELECT ${rowJsonSql('packages')} AS row FROM packages x
      WHERE x."facilityId" = $1::uuid AND x."recipientId" = ANY($2::uuid[]) AND x.status IN ('received', 'held') AND x."deletedAt" IS NULL`,
    facilityId,
    recipientIds,
  );
  return rows.map((r) => toWireRow('packages', r.row) as unknown as PackageRow);
}

/**
 * Packages or recipients a push may touch, in one query: the facility's rows among `ids` (soft-
 * deleted ones included, in their wire shape), and every id among `ids` that some facility uses —
 * what loadPackages/loadRecipients and idsTakenElsewhere answer, in one round trip. An id's row is
 * read only when the id is in use at all, under this transaction's row-level security.
 */
export async function loadRowsAndTakenIds<R>(
  tx: Tx,
  table: 'packages' | 'recipients' | 'departments' | 'locations',
  facilityId: string,
  ids: string[],
): Promise<{ rows: R[]; taken: Set<string> }> {
  if (!ids.length) return { rows: [], taken: new Set() };
  const found = await tx.$queryRawUnsafe<{ id: string; row: Json | null }[]>(
    `SELECT u.id::text AS id,
            (SELECT ${rowJsonSql(table)} FROM ${table} x WHERE x."facilityId" = $1::uuid AND x.id = u.id) AS row
       FROM sync_ids_in_use($2, $3::uuid[]) AS u(id)`,
    facilityId,
    table,
    ids,
  );
  return {
    rows: found.flatMap((f) => (f.row ? [toWireRow(table, f.row) as unknown as R] : [])),
    taken: new Set(found.map((f) => f.id)),
  };
}

/** Ids among `ids` that some facility already uses (client-made UUIDs must not collide across tenants). */
export async function idsTakenElsewhere(
  tx: Tx,
  table: 'packages' | 'recipients' | 'departments' | 'locations' | 'sync_clients',
  ids: string[],
): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(`SELECT id::text FROM sync_ids_in_use($1, $2::uuid[]) AS id`, table, ids);
  return new Set(rows.map((r) => r.id));
}

export async function storedBlobHashes(tx: Tx, facilityId: string, hashes: string[]): Promise<Set<string>> {
  if (!hashes.length) return new Set();
  const rows = await tx.$queryRawUnsafe<{ hash: string }[]>(
    `SELECT hash FROM stored_blobs WHERE "facilityId" = $1::uuid AND hash = ANY($2::text[]) AND "deletedAt" IS NULL`,
    facilityId,
    hashes,
  );
  return new Set(rows.map((r) => r.hash));
}

/** The facility's hand-off settings, as the mutators read them (handoff.ts). */
export async function loadHandOffSettings(tx: Tx, facilityId: string): Promise<HandOffSettings> {
  const rows = await tx.$queryRawUnsafe<{ signatureRequired: boolean }[]>(
    `SELECT "signatureRequired" FROM facilities WHERE id = $1::uuid`,
    facilityId,
  );
  return { signatureRequired: rows[0]?.signatureRequired ?? DEFAULT_HANDOFF_SETTINGS.signatureRequired };
}

/** The channels a new recipient of this facility starts with. */
export async function loadNotificationDefaults(tx: Tx, facilityId: string): Promise<NotificationDefaults> {
  const rows = await tx.$queryRawUnsafe<{ email: boolean; sms: boolean }[]>(
    `SELECT "notifyEmailDefault" AS email, "notifySmsDefault" AS sms FROM facilities WHERE id = $1::uuid`,
    facilityId,
  );
  return rows[0] ?? DEFAULT_NOTIFICATION_DEFAULTS;
}

export interface SyncWrites {
  packages: PackageRow[];
  recipients: RecipientRow[];
  departments: DepartmentRow[];
  locations: LocationRow[];
  events: PackageEventRow[];
  attachments: AttachmentRow[];
}

/** Writes a push's effects, one statement per table written, every row stamped with `version`. */
export async function writeSyncRows(tx: Tx, facilityId: string, version: number, w: SyncWrites) {
  // References before the rows that point at them (foreign keys may come one day; order costs nothing).
  if (w.departments.length) await tx.$executeRawUnsafe(SQL.departments, rowsJson('departments', w.departments), facilityId, version);
  if (w.locations.length) await tx.$executeRawUnsafe(SQL.locations, rowsJson('locations', w.locations), facilityId, version);
  if (w.packages.length) await tx.$executeRawUnsafe(SQL.packages, rowsJson('packages', w.packages), facilityId, version);
  if (w.recipients.length) await tx.$executeRawUnsafe(SQL.recipients, rowsJson('recipients', w.recipients), facilityId, version);
  if (w.events.length) await insertEvents(tx, facilityId, version, w.events);
  if (w.attachments.length) await tx.$executeRawUnsafe(SQL.attachments, rowsJson('attachments', w.attachments), facilityId, version);
}

/**
 * Appends events to the custody log: each is sealed after the last stored event of its package
 * (one query for every package the batch writes events for). The caller holds the facility's
 * version lock (takeVersion / lockFacilityVersion), so no other writer extends a chain meanwhile.
 */
async function insertEvents(tx: Tx, facilityId: string, version: number, events: readonly PackageEventRow[]) {
  const packageIds = [...new Set(events.map((e) => e.packageId))];
  const heads = await tx.$queryRawUnsafe<{ packageId: string; seq: number; hash: string }[]>(
    `SELECT DISTINCT ON ("packageId") "packageId"::text AS "packageId", seq, hash FROM package_events
      WHERE "facilityId" = $1::uuid AND "packageId" = ANY($2::uuid[]) AND seq IS NOT NULL
      ORDER BY "packageId", seq DESC`,
    facilityId,
    packageIds,
  );
  const sealed = sealEvents(facilityId, events, new Map(heads.map((h) => [h.packageId, { seq: h.seq, hash: h.hash }])));
  const inserted = await tx.$queryRawUnsafe<unknown[]>(
    SQL.events,
    rowsJson('packageEvents', sealed, Object.keys(CHAIN_COLUMNS)),
    facilityId,
    version,
  );
  // An event id already stored would leave a gap in its chain: refuse the whole write instead.
  if (inserted.length !== sealed.length) throw new Error('package event ids already recorded; the custody chain was not extended');
}

/**
 * Stores why mutations were refused, keeping the newest `keep` per client: a device that lost a
 * push's answer learns why from them, and a client that sends junk forever cannot grow the table.
 */
export async function recordRejections(
  tx: Tx,
  facilityId: string,
  clientId: string,
  rows: { mutationId: number; name: string; code: string; message: string }[],
  keep: number,
) {
  if (!rows.length) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO sync_rejections ("clientId", "mutationId", "facilityId", name, code, message)
     SELECT $1::uuid, x."mutationId", $2::uuid, x.name, x.code, x.message
       FROM jsonb_to_recordset($3::jsonb) AS x("mutationId" integer, name text, code text, message text)
     ON CONFLICT DO NOTHING`,
    clientId,
    facilityId,
    JSON.stringify(rows),
  );
  await tx.$executeRawUnsafe(
    `DELETE FROM sync_rejections
      WHERE "facilityId" = $1::uuid AND "clientId" = $2::uuid
        AND "mutationId" <= (SELECT "mutationId" FROM sync_rejections
                              WHERE "facilityId" = $1::uuid AND "clientId" = $2::uuid
                              ORDER BY "mutationId" DESC OFFSET $3 LIMIT 1)`,
    facilityId,
    clientId,
    keep,
  );
}

export async function loadRejections(tx: Tx, facilityId: string, clientId: string, ids: number[]) {
  if (!ids.length) return new Map<number, { code: string; message: string }>();
  const rows = await tx.$queryRawUnsafe<{ mutationId: number; code: string; message: string }[]>(
    `SELECT "mutationId", code, message FROM sync_rejections WHERE "facilityId" = $1::uuid AND "clientId" = $2::uuid AND "mutationId" = ANY($3::int[])`,
    facilityId,
    clientId,
    ids,
  );
  return new Map(rows.map((r) => [r.mutationId, { code: r.code, message: r.message }]));
}

// ---------------------------------------------------------------------------------------------
// Pull

/** Synced tables in pull order; the index is part of the cookie's position. */
export const PULL_TABLES: readonly { table: SyncedTable; sql: string }[] = [
  { table: 'departments', sql: 'departments' },
  { table: 'locations', sql: 'locations' },
  { table: 'recipients', sql: 'recipients' },
  { table: 'packages', sql: 'packages' },
  { table: 'attachments', sql: 'attachments' },
  { table: 'packageEvents', sql: 'package_events' },
];

export interface Position {
  version: number;
  table: number;
  id: string;
}

export interface PulledRow {
  version: number;
  t: number;
  id: string;
  deleted: boolean;
  row: Json;
}

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * Rows after `after` (by version, table, id), up to `limit`, in the transaction's snapshot. Two
 * steps so a page costs the same wherever it starts: the page's keys (each table contributes at most
 * `limit`, read in index order), then the rows of just those keys.
 */
export async function readChanges(tx: Tx, facilityId: string, after: Position, limit: number): Promise<PulledRow[]> {
  const keys = PULL_TABLES.map(({ sql }, t) => {
    // The position predicate per table, written so the (facilityId, version) index can serve it.
    const where =
      t > after.table ? 'x.version >= $2::int' : t < after.table ? 'x.version > $2::int' : '(x.version, x.id) > ($2::int, $3::uuid)';
    return `(SELECT x.version, ${t} AS t, x.id FROM ${sql} x
              WHERE x."facilityId" = $1::uuid AND ${where} ORDER BY x.version, x.id LIMIT $4)`;
  });
  const page = await tx.$queryRawUnsafe<{ version: number; t: number; id: string }[]>(
    // `$3::uuid IS NOT NULL` types $3 even when no table sits at the cookie's table position.
    `SELECT * FROM (${keys.join('\nUNION ALL\n')}) k WHERE $3::uuid IS NOT NULL ORDER BY 1, 2, 3 LIMIT $4`,
    facilityId,
    after.version,
    after.id || ZERO_UUID,
    limit,
  );
  const byTable = new Map<number, string[]>();
  for (const k of page) byTable.set(k.t, [...(byTable.get(k.t) ?? []), k.id]);
  const rows = new Map<string, Json>();
  for (const [t, ids] of byTable) {
    const { table, sql } = PULL_TABLES[t]!;
    const extra =
      table === 'attachments'
        ? `|| jsonb_build_object('uploaded', EXISTS (SELECT 1 FROM stored_blobs b WHERE b."facilityId" = x."facilityId" AND b.hash = x.hash AND b."deletedAt" IS NULL))`
        : '';
    const found = await tx.$queryRawUnsafe<{ id: string; row: Json }[]>(
      `SELECT x.id::text AS id, ${rowJsonSql(table)} ${extra} AS row
         FROM ${sql} x WHERE x."facilityId" = $1::uuid AND x.id = ANY($2::uuid[])`,
      facilityId,
      ids,
    );
    for (const f of found) rows.set(`${t}:${f.id}`, toWireRow(table, f.row));
  }
  return page.map((k) => {
    const row = rows.get(`${k.t}:${k.id}`)!;
    return { version: k.version, t: k.t, id: k.id, deleted: row.deletedAt != null, row };
  });
}

export async function readSyncState(tx: Tx, facilityId: string) {
  const rows = await tx.$queryRawUnsafe<{ syncVersion: number; tombstoneHorizon: number; epoch: string }[]>(
    `SELECT f."syncVersion", f."tombstoneHorizon", m.epoch::text AS epoch
       FROM facilities f CROSS JOIN database_meta m WHERE f.id = $1::uuid AND m.id = 1`,
    facilityId,
  );
  if (!rows[0]) throw new Error('facility not found');
  return rows[0];
}

export interface NotificationEvent {
  packageId: string;
  recipientId: string;
  kind: string;
}

/**
 * The transactional outbox: one row per event and channel, written with the change that causes it.
 * Email when the recipient has an address and wants email; SMS when they have a phone, want SMS and
 * the facility connected Twilio; the facility's Slack and Teams feeds when connected; the in-app
 * bell of the user the recipient links to (the same email, verified, a member of the facility). The
 * worker sends them.
 */
export async function queueNotifications(tx: Tx, facilityId: string, version: number, events: NotificationEvent[]) {
  if (!events.length) return;
  await tx.$executeRawUnsafe(
    `WITH ev AS (
       SELECT x."packageId", x."recipientId", x.kind, r.name, nullif(btrim(r.email), '') AS email,
              nullif(btrim(r.phone), '') AS phone, r."notifyEmail", r."notifySms"
         FROM jsonb_to_recordset($3::jsonb) AS x("packageId" uuid, "recipientId" uuid, kind text)
         JOIN recipients r ON r.id = x."recipientId" AND r."facilityId" = $1::uuid AND r."deletedAt" IS NULL
     ), connected AS (
       SELECT kind FROM integrations WHERE "facilityId" = $1::uuid AND enabled AND "deletedAt" IS NULL
     ), fan AS (
       SELECT ev.*, 'email' AS channel, ev.email AS "to", NULL::uuid AS "userId" FROM ev WHERE ev.email IS NOT NULL AND ev."notifyEmail"
       UNION ALL
       SELECT ev.*, 'sms', ev.phone, NULL FROM ev
        WHERE ev.phone IS NOT NULL AND ev."notifySms" AND EXISTS (SELECT 1 FROM connected WHERE kind = 'twilio')
       UNION ALL
       SELECT ev.*, c.kind, c.kind || ' feed', NULL FROM ev JOIN connected c ON c.kind IN ('slack', 'teams')
       UNION ALL
       SELECT ev.*, 'inapp', u.email, u.id FROM ev ${linkedUserJoin('ev.email', '$1::uuid')}
     )
     INSERT INTO notifications (id, "facilityId", "packageId", "recipientId", "userId", kind, channel, "to", status, version)
     SELECT gen_random_uuid(), $1::uuid, fan."packageId", fan."recipientId", fan."userId", fan.kind, fan.channel, fan."to", 'queued', $2
       FROM fan`,
    facilityId,
    version,
    JSON.stringify(events),
  );
}

/** Package events are never soft-deleted nor purged: a deleted package's events stay as its history. */
const TOMBSTONE_TABLES = ['departments', 'locations', 'recipients', 'packages', 'attachments'] as const;

/**
 * Removes soft-deleted rows deleted before `before` and raises the facility's tombstone horizon to
 * the highest version removed, so a device whose cookie is older resyncs in full instead of
 * missing a delete. The custody log (package_events) is append-only and keeps every event.
 */
export async function purgeTombstones(tx: Tx, facilityId: string, before: Date): Promise<{ removed: number; horizon: number }> {
  let removed = 0;
  let horizon = 0;
  for (const table of TOMBSTONE_TABLES) {
    const rows = await tx.$queryRawUnsafe<{ n: number; v: number | null }[]>(
      `WITH gone AS (DELETE FROM ${table} WHERE "facilityId" = $1::uuid AND "deletedAt" IS NOT NULL AND "deletedAt" < $2 RETURNING version)
       SELECT count(*)::int AS n, max(version) AS v FROM gone`,
      facilityId,
      before,
    );
    removed += rows[0]?.n ?? 0;
    horizon = Math.max(horizon, rows[0]?.v ?? 0);
  }
  if (horizon > 0) {
    await tx.$executeRawUnsafe(
      `UPDATE facilities SET "tombstoneHorizon" = GREATEST("tombstoneHorizon", $2) WHERE id = $1::uuid`,
      facilityId,
      horizon,
    );
  }
  return { removed, horizon };
}

// One source for each synced row shape (rows.ts ROW_COLUMNS): the Prisma client's models and the
// migrated database must have exactly those columns (plus facilityId and createdAt, which never
// travel), with the same types and nullability. A column added to schema.prisma and not to
// rows.ts, or the other way round, fails here instead of silently not syncing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNCED_TABLES, columnsOf, isNullable, kindOf, type ColumnKind, type SyncedTable } from '../../src/lib/domain/sync/rows.ts';
import { SQL_TABLE, toWireRow } from '../../sync-server/src/repositories/sync.ts';
import { Prisma } from '../../sync-server/src/generated/prisma/client.ts';
import { asOwner, startTestApp, type TestApp } from './harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const SERVER_ONLY: Record<string, string> = { facilityId: 'uuid', createdAt: 'timestamp without time zone' };
/**
 * Columns of one table that stay on the server: the custody chain's links (served by the custody
 * route), and when photo retention expired an attachment (devices get its tombstone).
 */
const SERVER_ONLY_OF: Partial<Record<SyncedTable, Record<string, string>>> = {
  packageEvents: { seq: 'integer?', hash: 'text?', prevHash: 'text?' },
  attachments: { expiredAt: 'timestamp without time zone?' },
};
const serverOnly = (table: SyncedTable) => ({ ...SERVER_ONLY, ...SERVER_ONLY_OF[table] });
const MODEL_FIELDS: Record<SyncedTable, Record<string, string>> = {
  packages: Prisma.PackageScalarFieldEnum,
  recipients: Prisma.RecipientScalarFieldEnum,
  departments: Prisma.DepartmentScalarFieldEnum,
  locations: Prisma.LocationScalarFieldEnum,
  packageEvents: Prisma.PackageEventScalarFieldEnum,
  attachments: Prisma.AttachmentScalarFieldEnum,
};
/** How Postgres (information_schema) names each column kind. */
const PG: Record<ColumnKind, string> = {
  uuid: 'uuid',
  text: 'text',
  int: 'integer',
  bool: 'boolean',
  time: 'timestamp without time zone',
  json: 'jsonb',
  PackageStatus: 'PackageStatus',
  AttachmentKind: 'AttachmentKind',
};

describe('synced row shapes', () => {
  it('carries every timestamp in the one ISO form devices write, whatever zeros jsonb dropped', () => {
    // Postgres's jsonb prints timestamp(3) without trailing zeros and without a zone.
    const row = toWireRow('packageEvents', { at: '2026-11-29T12:11:01.15', recordedAt: '2026-11-29T12:11:02', type: 'received' });
    expect(row).toEqual({ at: '2026-11-29T12:11:01.150Z', recordedAt: '2026-11-29T12:11:02.000Z', type: 'received' });
    expect(toWireRow('packages', { receivedAt: '2026-11-29T12:11:01.123+00:00', deletedAt: null })).toEqual({
      receivedAt: '2026-11-29T12:11:01.123Z',
      deletedAt: null,
    });
  });

  it.for(SYNCED_TABLES)('%s: the Prisma model has exactly the row columns (and the server-only ones)', (table) => {
    const wire = columnsOf(table).map(([c]) => c);
    const model = Object.keys(MODEL_FIELDS[table]).filter((c) => !(c in serverOnly(table)));
    expect(model.sort()).toEqual([...wire].sort());
  });

  it.for(SYNCED_TABLES)('%s: the database has each column with its type and nullability', async (table) => {
    const rows = await asOwner(t, (c) =>
      c.query<{ name: string; type: string; udt: string; nullable: string }>(
        `SELECT column_name AS name, data_type AS type, udt_name AS udt, is_nullable AS nullable
           FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
        [SQL_TABLE[table]],
      ),
    );
    const actual = Object.fromEntries(
      rows.rows.map((r) => [r.name, `${r.type === 'USER-DEFINED' ? r.udt : r.type}${r.nullable === 'YES' ? '?' : ''}`]),
    );
    const expected = Object.fromEntries([
      ...columnsOf(table).map(([c, k]) => [c, `${PG[kindOf(k)]}${isNullable(k) ? '?' : ''}`]),
      ...Object.entries(serverOnly(table))
        .filter(([c]) => c in actual || c === 'facilityId')
        .map(([c, type]) => [c, type]),
    ]);
    expect(actual).toEqual(expected);
  });
});

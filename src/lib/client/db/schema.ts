// The device's database (sync-protocol.md "Identity": one IndexedDB database per facility,
// `ptp-<facilityId>`, so data of two facilities is never combined). This folder is the only code
// that touches its tables.
//
// Two layers, so a rebase is exact (Replicache's model, kept small):
//   - The row tables (packages, recipients, …) hold what the UI shows: the server's confirmed rows
//     with every pending (unacknowledged) mutation applied on top.
//   - `base` keeps, for each row a pending mutation has written, the confirmed version it replaced
//     (`row: null` when the row did not exist on the server). Rows no pending mutation touched are
//     identical in both layers, so they are stored once.
// A completed pull (rebase.ts) runs in ONE rw transaction over all tables: the patch goes to the
// confirmed layer (into `base` for a row held there, else straight into the row table), every
// `base` entry is put back, acknowledged outbox entries (id ≤ lastMutationId) are dropped, and the
// remaining ones are re-run with the shared mutators, which records `base` entries afresh.
import { Dexie, type EntityTable, type Table } from 'dexie';
import { packageSearchText } from '../../domain/package-search';
import type { MutationName } from '../../domain/sync/mutations';
import type {
  AttachmentKind,
  AttachmentRow,
  DepartmentRow,
  LocationRow,
  PackageEventRow,
  PackageRow,
  RecipientRow,
  SyncedTable,
} from '../../domain/sync/rows';

/** Package rows as stored: derived keys make the list's searches index range scans. */
export interface LocalPackage extends PackageRow {
  /** Lowercased recipient name: prefix search, case-insensitive. */
  recipientNameLower: string;
  /** Lowercased tracking number reversed: a suffix search becomes a prefix range. */
  trackingReversed: string;
}

export interface LocalRecipient extends RecipientRow {
  nameLower: string;
}

/**
 * Keys the device adds to synced rows for its indexes (toLocal). Every index of a synced table
 * names a row column (rows.ts) or one of these; schema.test.ts checks it.
 */
export const LOCAL_KEYS: { [T in SyncedTable]?: readonly (keyof LocalRowOf[T])[] } = {
  packages: ['recipientNameLower', 'trackingReversed'],
  recipients: ['nameLower'],
};

export interface LocalRowOf {
  packages: LocalPackage;
  recipients: LocalRecipient;
  departments: DepartmentRow;
  locations: LocationRow;
  packageEvents: PackageEventRow;
  attachments: AttachmentRow;
}

export interface OutboxEntry {
  /** The mutation id: per client, consecutive from 1 (sync-protocol.md "Push"). */
  id: number;
  name: MutationName;
  args: unknown;
  clientTime: string;
}

/** The confirmed version of a row a pending mutation has overwritten; key `<table>:<id>`. */
export interface BaseEntry {
  key: string;
  table: SyncedTable;
  id: string;
  row: Record<string, unknown> | null;
}

export type BlobState = 'pending' | 'uploading' | 'uploaded';

export interface LocalBlob {
  hash: string;
  /** The bytes; dropped once the server confirmed it holds them. */
  data: Blob | null;
  contentType: string;
  kind: AttachmentKind;
  size: number;
  state: BlobState;
  attempts: number;
  /** Epoch ms before which the uploader leaves it alone (backoff). */
  nextAttemptAt: number;
  bytesSent?: number;
  lastError?: string;
  /** The last attempt failed for want of a network (not a refusal): retried as soon as it returns. */
  networkFailure?: boolean;
  createdAt: string;
}

/**
 * The search digest (v3): what each package is found by, as compact arrays, one entry per page of
 * a pull or per local action. Searching reads these few rows and scans their text in memory, so a
 * search for any part of a name or tracking number needs no index entry per word or per n-gram
 * (which would cost the first sync dearly). An entry is appended whenever a package row is written,
 * so the newest entry of an id always describes the row as stored; older ones are only hints, and
 * every hit is checked against the row itself (queries.ts). `compactDigest` folds them together.
 */
export interface SearchDigestChunk {
  seq?: number;
  ids: string[];
  /** `packageSearchText` of each row (src/lib/domain/package-search.ts). */
  texts: string[];
  receivedAt: string[];
  /** Each row's status when the entry was written (absent in chunks written before it was added). */
  statuses?: string[];
}

export interface MetaEntry {
  key: string;
  value: unknown;
}

/** A mutation the server refused: the "needs attention" list, never a silent revert. */
export interface Rejection {
  clientId: string;
  /** The mutation id. */
  id: number;
  name: string;
  args: unknown;
  code: string;
  message: string;
  at: string;
  /** Set when a person dismissed it; kept so a re-sent result cannot bring it back. */
  dismissedAt?: string;
  /**
   * What the person chose: `kept` (a refused hand-off kept as evidence for an admin), `reopened`
   * (an admin reopened the package and recorded this change again), or `dismissed`.
   */
  resolution?: 'kept' | 'reopened' | 'dismissed';
}

export const dbName = (facilityId: string) => `ptp-${facilityId}`;

export class PtpDb extends Dexie {
  packages!: EntityTable<LocalPackage, 'id'>;
  recipients!: EntityTable<LocalRecipient, 'id'>;
  departments!: EntityTable<DepartmentRow, 'id'>;
  locations!: EntityTable<LocationRow, 'id'>;
  packageEvents!: EntityTable<PackageEventRow, 'id'>;
  attachments!: EntityTable<AttachmentRow, 'id'>;
  base!: EntityTable<BaseEntry, 'key'>;
  outbox!: EntityTable<OutboxEntry, 'id'>;
  blobs!: EntityTable<LocalBlob, 'hash'>;
  meta!: EntityTable<MetaEntry, 'key'>;
  rejections!: Table<Rejection, [string, number]>;
  searchDigest!: Table<SearchDigestChunk, number>;

  constructor(
    readonly facilityId: string,
    options?: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange },
  ) {
    super(dbName(facilityId), options);
    this.version(1).stores({
      packages: 'id, status, recipientNameLower, trackingReversed, receivedAt, [status+receivedAt]',
      recipients: 'id, nameLower',
      departments: 'id',
      locations: 'id',
      packageEvents: 'id, packageId',
      attachments: 'id, packageId, hash, [packageId+hash+kind]',
      base: 'key',
      outbox: 'id',
      blobs: 'hash, state',
      meta: 'key',
      rejections: '[clientId+id], at',
    });
    // v2: the list's combined search (a status and a recipient-name prefix) as one index range.
    this.version(2).stores({
      packages: 'id, status, recipientNameLower, trackingReversed, receivedAt, [status+receivedAt], [status+recipientNameLower]',
    });
    // v3 (docs/sync.md "First sync" and "Search"): every index entry is paid 50,000 times on a
    // first sync, so packages keep only what the list reads in order (newest first, by status) and
    // the tracking suffix; searches go through the search digest instead of name indexes.
    this.version(3)
      .stores({
        packages: 'id, receivedAt, [status+receivedAt], trackingReversed',
        searchDigest: '++seq',
      })
      .upgrade(async (tx) => {
        const rows = (await tx.table('packages').toArray()) as LocalPackage[];
        if (rows.length) await tx.table('searchDigest').add(digestChunk(rows));
      });
  }

  rowTable<T extends SyncedTable>(table: T): Table<LocalRowOf[T], string> {
    return this.table(table) as Table<LocalRowOf[T], string>;
  }

  /** Every table: the scope of a mutate or a rebase transaction. */
  get allTables(): Table[] {
    return this.tables;
  }
}

/** Adds the derived index keys a row table needs; the inverse is not needed (mutators spread rows). */
export function toLocal<T extends SyncedTable>(table: T, row: Record<string, unknown>): LocalRowOf[T] {
  if (table === 'packages') {
    const p = row as unknown as PackageRow;
    return {
      ...p,
      recipientNameLower: (p.recipientName ?? '').toLowerCase(),
      trackingReversed: reverseTracking(p.trackingNumber ?? ''),
    } as LocalRowOf[T];
  }
  if (table === 'recipients') {
    const r = row as unknown as RecipientRow;
    return { ...r, nameLower: (r.name ?? '').toLowerCase() } as LocalRowOf[T];
  }
  return row as unknown as LocalRowOf[T];
}

/** Packages of one status, newest first (schema v3 has no `status` index: `[status+receivedAt]` serves it). */
export function packagesWithStatus(db: PtpDb, status: PackageRow['status']) {
  return db.packages.where('[status+receivedAt]').between([status, ''], [status, '\uffff']).reverse();
}

/** One digest entry per package row, in the order given. */
export function digestChunk(rows: readonly PackageRow[]): SearchDigestChunk {
  return {
    ids: rows.map((r) => r.id),
    texts: rows.map((r) => packageSearchText(r)),
    receivedAt: rows.map((r) => r.receivedAt),
    statuses: rows.map((r) => r.status),
  };
}

/** Tracking numbers are compared without spaces or case: scanners and people type them differently. */
export const normalizeTracking = (s: string) => s.replace(/\s+/g, '').toLowerCase();
export const reverseTracking = (s: string) => [...normalizeTracking(s)].reverse().join('');

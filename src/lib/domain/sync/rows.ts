// Rows as they travel in pull patches and live in the device's IndexedDB. Timestamps are ISO-8601
// strings (UTC); `version` is the facility's sync counter at the row's last change.
//
// ROW_COLUMNS is the one description of each synced row: the TypeScript row types below, the
// server's column map and pull row shaping (sync-server/src/repositories/sync.ts) are derived from
// it, and tests/server/row-shapes.test.ts checks it against the Prisma client and the migrated
// database, so a column added in one place and not here fails a test instead of silently not
// syncing. A new column is one line here (plus its Prisma field and migration).
import type { PackageStatus } from '../package-state';

export const SYNCED_TABLES = ['packages', 'recipients', 'departments', 'locations', 'packageEvents', 'attachments'] as const;
export type SyncedTable = (typeof SYNCED_TABLES)[number];

export type AttachmentKind = 'intake' | 'delivery' | 'signature';

/** A column's kind; a trailing `?` makes it nullable. `time` is a timestamp (an ISO string here). */
export type ColumnKind = 'uuid' | 'text' | 'int' | 'bool' | 'time' | 'json' | 'PackageStatus' | 'AttachmentKind';
export type Column = ColumnKind | `${ColumnKind}?`;

/** Columns every synced row has, besides those of its table. */
export const COMMON_COLUMNS = { id: 'uuid', version: 'int', deletedAt: 'time?' } as const satisfies Record<string, Column>;

export const ROW_COLUMNS = {
  packages: {
    trackingNumber: 'text',
    carrier: 'text',
    recipientId: 'uuid?',
    recipientName: 'text',
    sender: 'text?',
    status: 'PackageStatus',
    locationId: 'uuid?',
    notes: 'text?',
    holdNote: 'text?',
    returnNote: 'text?',
    receivedAt: 'time',
    notifiedAt: 'time?',
    heldAt: 'time?',
    deliveredAt: 'time?',
    returnedAt: 'time?',
    deliveredTo: 'text?',
    signatureHash: 'text?',
    receivedById: 'uuid?',
    deliveredById: 'uuid?',
    // Intake details (package.receive.v2). Rows pulled before they existed lack them: read as false/null.
    shelf: 'text?',
    perishable: 'bool',
    needsSignature: 'bool',
    /** When the receive was applied, by the clock of whoever applied it (the server's, once synced). */
    loggedAt: 'time?',
    // Hand-off details (handoff.ts): the hold's and return's reason codes, a proxy pickup's reason,
    // who returned it, and when the delivery or return was applied (the undo window counts from it).
    holdReason: 'text?',
    proxyReason: 'text?',
    returnReason: 'text?',
    returnCarrier: 'text?',
    returnedById: 'uuid?',
    closedAt: 'time?',
  },
  recipients: {
    name: 'text',
    email: 'text?',
    phone: 'text?',
    employeeId: 'text?',
    departmentId: 'uuid?',
    defaultLocationId: 'uuid?',
    notes: 'text?',
    notifyEmail: 'bool',
    notifySms: 'bool',
  },
  departments: {
    name: 'text',
  },
  locations: {
    name: 'text',
    building: 'text?',
    floor: 'text?',
    deliveryInstructions: 'text?',
  },
  packageEvents: {
    packageId: 'uuid',
    type: 'text',
    data: 'json',
    actorId: 'uuid?',
    clientId: 'uuid?',
    mutationId: 'int?',
    /** When the person did it, by their device's clock (bounded; device-time.ts). */
    at: 'time',
    /** When it was recorded, by the clock of whoever applied it: the server's once synced. */
    recordedAt: 'time',
  },
  attachments: {
    packageId: 'uuid',
    hash: 'text',
    kind: 'AttachmentKind',
  },
} as const satisfies Record<SyncedTable, Record<string, Column>>;

/** Every column of a table's rows, in a fixed order: id, the table's own, version, deletedAt. */
export function columnsOf(table: SyncedTable): [name: string, column: Column][] {
  const { id, version, deletedAt } = COMMON_COLUMNS;
  return [['id', id], ...Object.entries(ROW_COLUMNS[table]), ['version', version], ['deletedAt', deletedAt]];
}

export const isNullable = (c: Column) => c.endsWith('?');
export const kindOf = (c: Column) => c.replace(/\?$/, '') as ColumnKind;

type ValueOf<K> = K extends `${infer B}?`
  ? ValueOf<B> | null
  : K extends 'uuid' | 'text' | 'time'
    ? string
    : K extends 'int'
      ? number
      : K extends 'bool'
        ? boolean
        : K extends 'json'
          ? Record<string, unknown>
          : K extends 'PackageStatus'
            ? PackageStatus
            : K extends 'AttachmentKind'
              ? AttachmentKind
              : never;

type Columns<C> = { -readonly [K in keyof C]: ValueOf<C[K]> };
type Row<T extends SyncedTable> = Columns<typeof COMMON_COLUMNS> & Columns<(typeof ROW_COLUMNS)[T]>;

export type PackageRow = Row<'packages'>;
export type RecipientRow = Row<'recipients'>;
export type DepartmentRow = Row<'departments'>;
export type LocationRow = Row<'locations'>;
export type PackageEventRow = Row<'packageEvents'>;
export type AttachmentRow = Row<'attachments'> & {
  /** Whether the server holds the bytes (computed on pull; a package whose photo is still uploading shows that). */
  uploaded: boolean;
};

export interface RowOf {
  packages: PackageRow;
  recipients: RecipientRow;
  departments: DepartmentRow;
  locations: LocationRow;
  packageEvents: PackageEventRow;
  attachments: AttachmentRow;
}

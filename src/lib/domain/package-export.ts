// The package history export (http-api.md "Packages and custody", GET /api/exports/packages.csv):
// which packages it holds (received within a range of the facility's own days), its columns, and
// one package as one CSV record. Pure: the server streams these records, the browser's /exports
// page names the same range and file, and the tests read both.
import { z } from 'zod';
import { CSV_BOM, csvLine } from './csv';
import { calendarDate, localDateTime } from './zoned-time';

/** The longest range one export covers (ten years of a facility's packages). */
export const EXPORT_MAX_DAYS = 3660;

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;

/**
 * `from` and `to`: dates of receipt in the facility's time zone, both included. Without `from` the
 * export starts at the facility's first package; without `to` it runs to its latest.
 */
export const exportRange = z
  .object({ from: calendarDate.optional(), to: calendarDate.optional() })
  .refine((r) => !r.from || !r.to || r.from <= r.to, { message: '`from` must not be after `to`', path: ['to'] })
  .refine((r) => !r.from || !r.to || daysBetween(r.from, r.to) < EXPORT_MAX_DAYS, {
    message: `A range may span at most ${EXPORT_MAX_DAYS} days`,
    path: ['to'],
  });
export type ExportRange = z.infer<typeof exportRange>;

/**
 * The file's name: packages-<facility code>-<from>-<to>.csv, with `start` for an open start and
 * the day of the export (`today`) for an open end.
 */
export const exportFileName = (facilityCode: string, r: ExportRange, today: string) =>
  `packages-${facilityCode.replace(/[^A-Za-z0-9_-]/g, '')}-${r.from ?? 'start'}-${r.to ?? today}.csv`;

/** One package as the export reads it from the database: dates are ISO UTC strings. */
export interface ExportedPackage {
  id: string;
  trackingNumber: string;
  carrier: string;
  status: string;
  recipientId: string | null;
  recipientName: string;
  sender: string | null;
  locationName: string | null;
  shelf: string | null;
  perishable: boolean;
  needsSignature: boolean;
  notes: string | null;
  holdNote: string | null;
  holdReason: string | null;
  returnNote: string | null;
  returnReason: string | null;
  returnCarrier: string | null;
  proxyReason: string | null;
  deliveredTo: string | null;
  receivedAt: string;
  notifiedAt: string | null;
  heldAt: string | null;
  deliveredAt: string | null;
  returnedAt: string | null;
  deletedAt: string | null;
  receivedBy: string | null;
  deliveredBy: string | null;
  returnedBy: string | null;
  /** The package's events in custody order. */
  events: { at: string; type: string; by: string | null }[];
  /** Photos and the signature, by the hash of their bytes. */
  photos: { kind: string; hash: string }[];
  /** The hash of the last event of the package's custody chain (only asked for with `hashes=true`). */
  custodyHash?: string | null;
}

export interface ExportOptions {
  timeZone: string;
  /** The app's own origin: photo links point at its blob route, which checks the session. */
  origin: string;
  hashes: boolean;
}

/** The header row, in the order of `exportValues`. */
export function exportHeader(o: Pick<ExportOptions, 'hashes'>): string[] {
  return [
    'id',
    'trackingNumber',
    'carrier',
    'status',
    'recipientId',
    'recipientName',
    'sender',
    'location',
    'shelf',
    'perishable',
    'needsSignature',
    'notes',
    'heldNote',
    'holdReason',
    'returnNote',
    'returnReason',
    'returnCarrier',
    'deliveredTo',
    'proxyReason',
    'receivedAt',
    'receivedAtLocal',
    'notifiedAt',
    'heldAt',
    'deliveredAt',
    'deliveredAtLocal',
    'returnedAt',
    'returnedAtLocal',
    'deletedAt',
    'timezone',
    'receivedBy',
    'deliveredBy',
    'returnedBy',
    'events',
    'photos',
    ...(o.hashes ? ['custodyHash'] : []),
  ];
}

/** Who did an event, in the export's words (the same neutral label the timeline uses). */
const byWords = (name: string | null) => name ?? 'a former member';

/** The events in one cell: "2026-11-29T10:03:00.000Z received by Ada; 2026-11-29T11:00:00.000Z delivered by Sam". */
export const eventsCell = (events: ExportedPackage['events']) => events.map((e) => `${e.at} ${e.type} by ${byWords(e.by)}`).join('; ');

/** The app's own link to a photo's bytes (it checks the session and the facility; it never expires). */
export const photoLink = (origin: string, hash: string) => `${origin.replace(/\/$/, '')}/api/sync/blobs/${hash}`;

/** The photos in one cell: "intake https://…/api/sync/blobs/<hash>; signature https://…". */
export const photosCell = (photos: ExportedPackage['photos'], origin: string) =>
  photos.map((p) => `${p.kind} ${photoLink(origin, p.hash)}`).join('; ');

export function exportValues(p: ExportedPackage, o: ExportOptions): (string | boolean | null)[] {
  const local = (iso: string | null) => localDateTime(iso, o.timeZone);
  return [
    p.id,
    p.trackingNumber,
    p.carrier,
    p.status,
    p.recipientId,
    p.recipientName,
    p.sender,
    p.locationName,
    p.shelf,
    p.perishable,
    p.needsSignature,
    p.notes,
    p.holdNote,
    p.holdReason,
    p.returnNote,
    p.returnReason,
    p.returnCarrier,
    p.deliveredTo,
    p.proxyReason,
    p.receivedAt,
    local(p.receivedAt),
    p.notifiedAt,
    p.heldAt,
    p.deliveredAt,
    local(p.deliveredAt),
    p.returnedAt,
    local(p.returnedAt),
    p.deletedAt,
    o.timeZone,
    p.receivedBy,
    p.deliveredBy,
    p.returnedBy,
    eventsCell(p.events),
    photosCell(p.photos, o.origin),
    ...(o.hashes ? [p.custodyHash ?? null] : []),
  ];
}

/** The file's first bytes: the BOM and the header row. */
export const exportHead = (o: Pick<ExportOptions, 'hashes'>) => CSV_BOM + csvLine(exportHeader(o));

/** One package's record with its line end. */
export const exportLine = (p: ExportedPackage, o: ExportOptions) => csvLine(exportValues(p, o));

// What the screens read. Each query is a plain async function (tests call it directly) and has a
// `watch*` twin built on Dexie's liveQuery, which re-runs when the tables it read change — in this
// tab or another — so the UI follows local mutations and pulled changes without polling.
import { liveQuery, type Observable } from 'dexie';
import type { PackageStatus } from '../../domain/package-state';
import type { AttachmentRow, DepartmentRow, LocationRow, PackageEventRow } from '../../domain/sync/rows';
import { LAST_SYNCED_KEY, getMemberNames } from './meta';
import { oldestHoldFirst } from '../../domain/package-words';
import { expiredPhotos, type RecordedPhoto } from '../../domain/photo-retention';
import { matchesSearch, packageSearchText, searchTerms } from '../../domain/package-search';
import type { LocalPackage, LocalRecipient, PtpDb, Rejection } from './schema';

const live = (p: { deletedAt: string | null }) => !p.deletedAt;
const newestFirst = (a: LocalPackage, b: LocalPackage) => b.receivedAt.localeCompare(a.receivedAt);

export interface PackageFilter {
  status?: PackageStatus | null;
  /** Words found in the name, tracking number (any part), sender or notes (domain/package-search.ts). */
  search?: string;
  carrier?: string | null;
  locationId?: string | null;
  limit?: number;
  /** The Held tab: held packages, the oldest hold first (a facility holds few at a time). */
  oldestHoldFirst?: boolean;
}

/** The list screen: newest first; optional status; the search box as package-search.ts describes. */
export async function listPackages(db: PtpDb, filter: PackageFilter = {}): Promise<LocalPackage[]> {
  const limit = filter.limit ?? 200;
  if (filter.oldestHoldFirst && filter.status === 'held') {
    const held = await listPackages(db, { ...filter, oldestHoldFirst: false, limit: 1_000_000 });
    return oldestHoldFirst(held).slice(0, limit);
  }
  const terms = searchTerms(filter.search ?? '');
  const status = filter.status ?? null;
  const carrier = filter.carrier ?? null;
  const locationId = filter.locationId ?? null;
  const othersOk = (p: LocalPackage) => (!carrier || p.carrier === carrier) && (!locationId || p.locationId === locationId);
  const narrowed = !!carrier || !!locationId;

  if (!terms.length && narrowed) {
    // Carrier and location have no index: the newest rows are walked until the screen is full.
    const rows = status
      ? db.packages.where('[status+receivedAt]').between([status, ''], [status, '\uffff']).reverse()
      : db.packages.orderBy('receivedAt').reverse();
    return rows
      .filter((p) => live(p) && othersOk(p))
      .limit(limit)
      .toArray();
  }
  if (!terms.length) {
    const rows = () =>
      status
        ? db.packages.where('[status+receivedAt]').between([status, ''], [status, '\uffff']).reverse()
        : db.packages.orderBy('receivedAt').reverse();
    // Without a JS filter Dexie reads the range with one getAll; a deleted row (only ever a
    // pending local delete) is rare, so read a few more and drop them; if too many were, walk it.
    const extra = Math.min(50, limit);
    const first = await rows()
      .limit(limit + extra)
      .toArray();
    const alive = first.filter(live);
    if (alive.length >= limit || first.length < limit + extra) return alive.slice(0, limit);
    return rows().filter(live).limit(limit).toArray();
  }
  return searchPackages(db, terms, status, limit, othersOk);
}

/**
 * The digest as the search scans it: per chunk, the texts joined into one string (a native
 * `indexOf` walks it far faster than 50,000 `includes`), where each entry starts, its id and time.
 * Chunks never change once written (new ones are appended, compaction replaces them all with new
 * keys), so decoded chunks are kept per database and only new keys are read.
 */
interface ScanChunk {
  joined: string;
  starts: Int32Array;
  ids: string[];
  texts: string[];
  times: Float64Array;
  /** Empty when the chunk predates statuses in the digest (then every entry is a candidate). */
  statuses: string[];
}
const scanCache = new WeakMap<PtpDb, Map<number, ScanChunk>>();

async function digestForScan(db: PtpDb): Promise<ScanChunk[]> {
  // Reading the keys also makes a liveQuery follow the digest (and so every package write).
  const keys = (await db.searchDigest.toCollection().primaryKeys()) as number[];
  let cache = scanCache.get(db);
  if (!cache) scanCache.set(db, (cache = new Map()));
  const wanted = new Set(keys);
  for (const k of cache.keys()) if (!wanted.has(k)) cache.delete(k);
  const missing = keys.filter((k) => !cache.has(k));
  if (missing.length) {
    const chunks = await db.searchDigest.bulkGet(missing);
    chunks.forEach((c, n) => {
      if (!c) return;
      const starts = new Int32Array(c.texts.length);
      let at = 0;
      for (let i = 0; i < c.texts.length; i++) {
        starts[i] = at;
        at += c.texts[i]!.length + 1;
      }
      cache.set(missing[n]!, {
        joined: c.texts.join('\n'),
        starts,
        ids: c.ids,
        texts: c.texts,
        times: Float64Array.from(c.receivedAt, (t) => Date.parse(t)),
        statuses: c.statuses ?? [],
      });
    });
  }
  return keys.map((k) => cache.get(k)).filter((c): c is ScanChunk => !!c);
}

/** The entry of `chunk` whose text holds position `pos` of `joined`. */
function entryAt(chunk: ScanChunk, pos: number): number {
  let lo = 0;
  let hi = chunk.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (chunk.starts[mid]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * A search: the digest is scanned in memory (any part of any field), the candidates sorted newest
 * first, then read from the row table in small batches and checked against the row itself (the
 * digest may hold older versions of a row; the row is what counts) until `limit` matched.
 */
async function searchPackages(
  db: PtpDb,
  terms: string[],
  status: PackageStatus | null,
  limit: number,
  othersOk: (p: LocalPackage) => boolean,
): Promise<LocalPackage[]> {
  const chunks = await digestForScan(db);
  // Walk the joined text for the longest term; check the others on each hit's own text.
  const [lead, ...rest] = [...terms].sort((a, b) => b.length - a.length) as [string, ...string[]];
  const candidates = new Map<string, number>();
  for (const c of chunks) {
    for (let pos = c.joined.indexOf(lead); pos !== -1;) {
      const i = entryAt(c, pos);
      // An entry's status may be stale (a newer entry describes the row as stored): a superset, checked below.
      const statusOk = !status || !c.statuses.length || c.statuses[i] === status;
      if (statusOk && rest.every((t) => c.texts[i]!.includes(t))) candidates.set(c.ids[i]!, c.times[i]!);
      pos = c.joined.indexOf(lead, c.starts[i]! + c.texts[i]!.length + 1);
    }
  }
  const ordered = [...candidates].sort((a, b) => b[1] - a[1]);
  const found: LocalPackage[] = [];
  const batch = limit + 10;
  for (let from = 0; from < ordered.length && found.length < limit; from += batch) {
    const rows = await db.packages.bulkGet(ordered.slice(from, from + batch).map(([id]) => id));
    for (const p of rows) {
      if (!p || p.deletedAt || (status && p.status !== status) || !othersOk(p) || !matchesSearch(packageSearchText(p), terms)) continue;
      found.push(p);
      if (found.length >= limit) break;
    }
  }
  return found.sort(newestFirst);
}

export const recentPackages = (db: PtpDb, limit = 20) => listPackages(db, { limit });

export interface AttachmentView extends AttachmentRow {
  /** The bytes are still on this device waiting for upload (show "uploading…"). */
  pendingUpload: boolean;
  /** The local bytes while they are not uploaded (to preview the photo offline). */
  localData: Blob | null;
  lastError?: string;
}

export interface PackageDetail {
  package: LocalPackage;
  events: PackageEventRow[];
  attachments: AttachmentView[];
  /** Photos the package's log names that the facility's retention period has deleted (photo-retention.ts). */
  expiredPhotos: RecordedPhoto[];
  location: LocationRow | null;
  recipient: LocalRecipient | null;
  /** The recipient's department and usual location (names shown beside the recipient). */
  department: DepartmentRow | null;
  recipientLocation: LocationRow | null;
}

export async function packageDetail(db: PtpDb, id: string): Promise<PackageDetail | null> {
  const p = await db.packages.get(id);
  if (!p || p.deletedAt) return null;
  const [events, attachments, location, recipient] = await Promise.all([
    db.packageEvents.where('packageId').equals(id).toArray(),
    db.attachments.where('packageId').equals(id).filter(live).toArray(),
    p.locationId ? db.locations.get(p.locationId) : undefined,
    p.recipientId ? db.recipients.get(p.recipientId) : undefined,
  ]);
  const blobs = await db.blobs.bulkGet(attachments.map((a) => a.hash));
  const [department, recipientLocation] = await Promise.all([
    recipient?.departmentId ? db.departments.get(recipient.departmentId) : undefined,
    recipient?.defaultLocationId ? db.locations.get(recipient.defaultLocationId) : undefined,
  ]);
  const liveEvents = events.filter(live).sort((a, b) => a.at.localeCompare(b.at) || a.version - b.version);
  return {
    package: p,
    events: liveEvents,
    expiredPhotos: expiredPhotos(liveEvents, attachments),
    attachments: attachments.map((a, i) => {
      const b = blobs[i];
      const pendingUpload = b ? b.state !== 'uploaded' : !a.uploaded;
      return { ...a, pendingUpload, localData: pendingUpload ? (b?.data ?? null) : null, lastError: b?.lastError };
    }),
    location: location ?? null,
    recipient: recipient ?? null,
    department: department ?? null,
    recipientLocation: recipientLocation ?? null,
  };
}

export async function searchRecipients(db: PtpDb, q: string, limit = 20): Promise<LocalRecipient[]> {
  const prefix = q.trim().toLowerCase();
  const rows = prefix ? db.recipients.where('nameLower').startsWith(prefix) : db.recipients.orderBy('nameLower');
  return rows.filter(live).limit(limit).toArray();
}

export async function listLocations(db: PtpDb): Promise<LocationRow[]> {
  return (await db.locations.filter(live).toArray()).sort((a, b) => a.name.localeCompare(b.name));
}

/** Rejected mutations not yet dismissed, newest first (the "Needs attention" list). */
export async function openRejections(db: PtpDb): Promise<Rejection[]> {
  return (await db.rejections.filter((r) => !r.dismissedAt).toArray()).sort((a, b) => b.at.localeCompare(a.at));
}

/** A refused change with what the device knows of the package now (the other version). */
export interface RejectionView extends Rejection {
  package: LocalPackage | null;
  /** Who put the package on hold (its newest `held` event), when it is held. */
  heldById: string | null;
  /** A signature or photo of the change is still on this device, waiting to upload. */
  proofUploading: boolean;
}

/** Needs attention: each open rejection with the package as it is now and its proof's upload state. */
export async function openRejectionViews(db: PtpDb): Promise<RejectionView[]> {
  const rows = await openRejections(db);
  return Promise.all(
    rows.map(async (r) => {
      const a = (r.args ?? {}) as Record<string, unknown>;
      const packageId = r.name.startsWith('package.') && typeof a.id === 'string' ? a.id : null;
      const p = packageId ? ((await db.packages.get(packageId)) ?? null) : null;
      let heldById: string | null = null;
      if (p?.status === 'held') {
        const held = (await db.packageEvents.where('packageId').equals(p.id).toArray()).filter((e) => e.type === 'held');
        heldById = held.sort((x, y) => y.at.localeCompare(x.at))[0]?.actorId ?? null;
      }
      const hashes = [a.signatureHash, a.photoHash].filter((h): h is string => typeof h === 'string');
      const blobs = hashes.length ? await db.blobs.bulkGet(hashes) : [];
      return { ...r, package: p, heldById, proofUploading: blobs.some((b) => !!b && b.state !== 'uploaded') };
    }),
  );
}

export interface SyncCounts {
  pendingMutations: number;
  pendingUploads: number;
  rejections: number;
  lastSyncedAt: string | null;
}

export async function syncCounts(db: PtpDb): Promise<SyncCounts> {
  const [pendingMutations, pendingUploads, rejections, last] = await Promise.all([
    db.outbox.count(),
    db.blobs.where('state').anyOf('pending', 'uploading').count(),
    db.rejections.filter((r) => !r.dismissedAt).count(),
    db.meta.get(LAST_SYNCED_KEY),
  ]);
  return { pendingMutations, pendingUploads, rejections, lastSyncedAt: (last?.value as string | undefined) ?? null };
}

/**
 * Ids of packages a queued (not yet acknowledged) mutation touches: receives, holds, deliveries,
 * returns, edits, photos — what lists mark "not synced yet".
 */
export async function pendingPackageIds(db: PtpDb): Promise<Set<string>> {
  const ids = new Set<string>();
  await db.outbox.each((m) => {
    const id = (m.args as { id?: unknown } | null)?.id;
    if (m.name.startsWith('package.') && typeof id === 'string') ids.add(id);
  });
  return ids;
}

export const watchPendingPackageIds = (db: PtpDb): Observable<Set<string>> => liveQuery(() => pendingPackageIds(db));
export const watchPackages = (db: PtpDb, filter: PackageFilter): Observable<LocalPackage[]> => liveQuery(() => listPackages(db, filter));
export const watchPackageDetail = (db: PtpDb, id: string): Observable<PackageDetail | null> => liveQuery(() => packageDetail(db, id));
export const watchRecipients = (db: PtpDb, q: string, limit?: number) => liveQuery(() => searchRecipients(db, q, limit));
export const watchLocations = (db: PtpDb) => liveQuery(() => listLocations(db));
export const watchRejections = (db: PtpDb) => liveQuery(() => openRejections(db));
export const watchSyncCounts = (db: PtpDb): Observable<SyncCounts> => liveQuery(() => syncCounts(db));
export const watchMemberNames = (db: PtpDb) => liveQuery(() => getMemberNames(db));
export const watchRejectionViews = (db: PtpDb) => liveQuery(() => openRejectionViews(db));

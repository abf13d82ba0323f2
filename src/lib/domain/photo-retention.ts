// Photo retention (privacy policy §6, SPEC "Photos"): intake and delivery photos leave object
// storage once the facility's retention period (PHOTO_RETENTION_DAYS, default 90) has passed since
// they were taken. Signatures are not photos: they are the proof of delivery and stay with the
// package record for as long as the facility exists.
import type { AttachmentKind } from './sync/rows';
import { PHOTO_RETENTION_DAYS } from './facility-settings';

export { PHOTO_RETENTION_DAYS };
export const DEFAULT_PHOTO_RETENTION_DAYS = 90;

const DAY_MS = 24 * 3600 * 1000;

/** The attachment kinds retention deletes; a signature stays with its package. */
export const EXPIRING_KINDS = ['intake', 'delivery'] as const satisfies readonly AttachmentKind[];

export function expiresWithRetention(kind: AttachmentKind): boolean {
  return (EXPIRING_KINDS as readonly string[]).includes(kind);
}

/** Whether `days` is a retention the facility may choose (whole days, 7–365). */
export function isRetentionDays(days: number): boolean {
  return Number.isInteger(days) && days >= PHOTO_RETENTION_DAYS.min && days <= PHOTO_RETENTION_DAYS.max;
}

/**
 * When a photo was taken, as well as the server can tell: the earliest of when the server first
 * recorded its attachment and the device times of the acts that attached it (a photo taken offline
 * and synced days later counts from when it was taken, not from its sync). Device times are already
 * bounded to at most 30 days before the server's clock when applied (sync/device-time.ts), so a
 * wrong device clock can make a photo go early, never stay longer than promised.
 * The job's SQL (sync-server/src/repositories/photo-retention.ts) computes the same LEAST.
 */
export function photoTakenAt(recordedAt: string, deviceTimes: readonly (string | null | undefined)[] = []): string {
  let t = Date.parse(recordedAt);
  for (const d of deviceTimes) {
    const v = d ? Date.parse(d) : NaN;
    if (!Number.isNaN(v) && v < t) t = v;
  }
  return new Date(t).toISOString();
}

/**
 * When a photo taken at `takenAt` expires: exactly `days` × 24 hours later. Retention is counted in
 * elapsed time, not calendar days, so time zones and daylight-saving changes do not move it.
 */
export function photoExpiresAt(takenAt: string, days: number): string {
  return new Date(Date.parse(takenAt) + days * DAY_MS).toISOString();
}

export function isPhotoExpired(takenAt: string, days: number, now: Date): boolean {
  return Date.parse(photoExpiresAt(takenAt, days)) <= now.getTime();
}

/** Photos taken at or before this instant have expired at `now`. */
export function retentionCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/** A photo a package had, as its custody log tells (photo_attached, delivered, handoff_refused). */
export interface RecordedPhoto {
  hash: string;
  kind: 'intake' | 'delivery';
}

/**
 * Photos the package's events say it had. Retention tombstones an expired photo's attachment (the
 * device drops the row), but the append-only log keeps the act: what the log names and no live
 * attachment holds any more was deleted after the retention period.
 */
export function recordedPhotos(events: readonly { type: string; data: Record<string, unknown> }[]): RecordedPhoto[] {
  const out = new Map<string, RecordedPhoto>();
  const add = (hash: unknown, kind: unknown) => {
    if (typeof hash === 'string' && hash && (kind === 'intake' || kind === 'delivery')) out.set(`${kind}:${hash}`, { hash, kind });
  };
  for (const e of events) {
    if (e.type === 'photo_attached') add(e.data.hash, e.data.kind);
    else if (e.type === 'delivered' || e.type === 'handoff_refused') add(e.data.photoHash, 'delivery');
  }
  return [...out.values()];
}

/** The recorded photos no live attachment of the package holds: gone with the retention period. */
export function expiredPhotos(
  events: readonly { type: string; data: Record<string, unknown> }[],
  liveAttachments: readonly { hash: string; kind: AttachmentKind }[],
): RecordedPhoto[] {
  const live = new Set(liveAttachments.map((a) => `${a.kind}:${a.hash}`));
  return recordedPhotos(events).filter((p) => !live.has(`${p.kind}:${p.hash}`));
}

// Small key/value state of the device's sync: which user owns the queue, their clientId and the
// last mutation id the server acknowledged, the pull cookie, the last successful sync time.
import { DEFAULT_NOTIFICATION_DEFAULTS, type NotificationDefaults } from '../../domain/facility-settings';
import { DEFAULT_HANDOFF_SETTINGS, type HandOffSettings } from '../../domain/handoff';
import type { PtpDb } from './schema';

export interface ClientIdentity {
  userId: string;
  clientId: string;
  /** The highest mutation id the server has acknowledged (from the last pull). */
  lastMutationId: number;
}

const clientKey = (userId: string) => `client:${userId}`;

export async function getMeta<T>(db: PtpDb, key: string): Promise<T | undefined> {
  return (await db.meta.get(key))?.value as T | undefined;
}

export async function setMeta(db: PtpDb, key: string, value: unknown) {
  await db.meta.put({ key, value });
}

/**
 * The clientId of (this browser profile, this user, this facility): created once, then kept
 * (sync-protocol.md "Identity"). Runs in its own transaction so two tabs cannot mint two ids.
 */
export function ensureClient(db: PtpDb, userId: string, newId: () => string = () => crypto.randomUUID()): Promise<ClientIdentity> {
  return db.transaction('rw', db.meta, async () => {
    const existing = await getMeta<ClientIdentity>(db, clientKey(userId));
    if (existing) return existing;
    const created: ClientIdentity = { userId, clientId: newId(), lastMutationId: 0 };
    await setMeta(db, clientKey(userId), created);
    return created;
  });
}

export async function getClient(db: PtpDb, userId: string): Promise<ClientIdentity | undefined> {
  return getMeta<ClientIdentity>(db, clientKey(userId));
}

export async function setClient(db: PtpDb, client: ClientIdentity) {
  await setMeta(db, clientKey(client.userId), client);
}

/**
 * The outbox and the pulled rows belong to one user at a time (the one whose clientId the queued
 * mutation ids continue). Another user on the same device may take over only an empty queue.
 */
export const OWNER_KEY = 'owner';
export const COOKIE_KEY = 'cookie';
export const LAST_SYNCED_KEY = 'lastSyncedAt';
/**
 * A first sync under way (rebase.ts `stagePullPage`): the cookie after its last page written to the
 * row tables and how many rows it brought. Unset once the snapshot is confirmed.
 */
export const STAGED_PULL_KEY = 'stagedPull';

export interface StagedPull {
  cookie: string;
  rows: number;
}

const HANDOFF_KEY = 'handOffSettings';

/**
 * The facility's hand-off settings as this device last fetched them; until it has, the defaults
 * (signatures on), so a device that never saw the settings asks for more proof, never less.
 */
export async function getHandOffSettings(db: PtpDb): Promise<HandOffSettings> {
  return { ...DEFAULT_HANDOFF_SETTINGS, ...(await getMeta<Partial<HandOffSettings>>(db, HANDOFF_KEY)) };
}

export async function setHandOffSettings(db: PtpDb, settings: HandOffSettings) {
  await setMeta(db, HANDOFF_KEY, settings);
}

const NOTIFICATION_DEFAULTS_KEY = 'notificationDefaults';

/** The channels a new recipient starts with, as this device last fetched them (until then the product's defaults). */
export async function getNotificationDefaults(db: PtpDb): Promise<NotificationDefaults> {
  return { ...DEFAULT_NOTIFICATION_DEFAULTS, ...(await getMeta<Partial<NotificationDefaults>>(db, NOTIFICATION_DEFAULTS_KEY)) };
}

export async function setNotificationDefaults(db: PtpDb, defaults: NotificationDefaults) {
  await setMeta(db, NOTIFICATION_DEFAULTS_KEY, defaults);
}

const PICKUP_KEY = 'pickupKey';
const FACILITY_FETCHED_KEY = 'facilitySettingsFetchedAt';

/**
 * The facility's pickup key as this device last received it (docs/sync.md "Pickup codes"): only
 * roles that hand packages over get one. Undefined until the device has been online once.
 */
export async function getPickupKey(db: PtpDb): Promise<string | undefined> {
  return (await getMeta<string | null>(db, PICKUP_KEY)) ?? undefined;
}

/** Keeps the key, or forgets it (null) when the server no longer gives it to this person. */
export async function setPickupKey(db: PtpDb, key: string | null) {
  if (key) await setMeta(db, PICKUP_KEY, key);
  else await db.meta.delete(PICKUP_KEY);
}

/** When the device last fetched the facility's settings (epoch ms), so it asks only every few minutes. */
export async function getFacilitySettingsFetchedAt(db: PtpDb): Promise<number> {
  return (await getMeta<number>(db, FACILITY_FETCHED_KEY)) ?? 0;
}

export async function setFacilitySettingsFetchedAt(db: PtpDb, at: number) {
  await setMeta(db, FACILITY_FETCHED_KEY, at);
}

const MEMBERS_KEY = 'memberNames';

/** A member of the facility as the device last heard of them (GET /api/facility/members). */
export interface MemberName {
  userId: string;
  name: string;
  role: string;
}

/** The facility's members as last fetched (names for the timeline, offline too); empty until then. */
export async function getMemberNames(db: PtpDb): Promise<MemberName[]> {
  return (await getMeta<MemberName[]>(db, MEMBERS_KEY)) ?? [];
}

export async function setMemberNames(db: PtpDb, members: MemberName[]) {
  await setMeta(db, MEMBERS_KEY, members);
}

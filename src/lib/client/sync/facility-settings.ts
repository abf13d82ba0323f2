// The facility's hand-off settings, notification defaults and pickup key on the device (docs/sync.md "Pickup codes"):
// fetched when the app opens a facility and again after a successful sync, at most every few
// minutes; offline the device goes on with what it last stored (db/meta.ts).
import type { Facility } from '../api';
import {
  getFacilitySettingsFetchedAt,
  setFacilitySettingsFetchedAt,
  setHandOffSettings,
  setNotificationDefaults,
  setPickupKey,
} from '../db/meta';
import type { PtpDb } from '../db/schema';

/** How often at most a device asks for the facility's settings while syncing. */
export const FACILITY_SETTINGS_INTERVAL_MS = 5 * 60_000;

export class FacilitySettingsSync {
  private inflight: Promise<boolean> | null = null;

  constructor(
    private readonly db: PtpDb,
    private readonly facilityId: string,
    private readonly fetchFacility: () => Promise<Facility>,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Fetches and stores the settings unless they were fetched within the interval (`force` skips
   * that check). Resolves true when it stored fresh settings; a failure (offline) keeps the old ones.
   */
  refresh(opts: { force?: boolean } = {}): Promise<boolean> {
    this.inflight ??= this.run(opts.force ?? false).finally(() => (this.inflight = null));
    return this.inflight;
  }

  private async run(force: boolean): Promise<boolean> {
    if (!force && this.now() - (await getFacilitySettingsFetchedAt(this.db)) < FACILITY_SETTINGS_INTERVAL_MS) return false;
    let f: Facility;
    try {
      f = await this.fetchFacility();
    } catch {
      return false;
    }
    // Another facility became active meanwhile: these settings are not this database's.
    if (f.id !== this.facilityId) return false;
    await this.db.transaction('rw', this.db.meta, async () => {
      await setHandOffSettings(this.db, { signatureRequired: f.signatureRequired !== false });
      // New recipients made on this device start with the same channels the server gives them.
      await setNotificationDefaults(this.db, f.notificationDefaults);
      // A role without the key (a viewer, or someone whose role changed) keeps none on the device.
      await setPickupKey(this.db, f.pickupKey ?? null);
      await setFacilitySettingsFetchedAt(this.db, this.now());
    });
    return true;
  }
}

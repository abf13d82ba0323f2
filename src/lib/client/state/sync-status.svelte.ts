// App state of sync (style.md habit 11: Svelte 5 rune classes). `SyncStatus` turns the engine's
// status and the live counts of the device's database into what the header badge and the sign-out
// confirmation show (sync-protocol.md "Device duties": the count of unsynced changes and pending
// uploads and the last successful sync time, always visible). `sync` holds the engine of the
// active facility: the layout opens it after sign-in and closes it on sign-out or facility switch.
import type { Role } from '../../domain/permissions';
import { syncBadge, type BadgeState, type SyncBadge } from '../../domain/sync-status';
import { api } from '../api';
import { warmDevicePickupCodes } from '../db/pickup';
import { watchSyncCounts } from '../db/queries';
import { PtpDb } from '../db/schema';
import { SyncEngine, type SyncState } from '../sync/engine';
import { FacilitySettingsSync } from '../sync/facility-settings';

export class SyncStatus {
  pendingMutations = $state(0);
  pendingUploads = $state(0);
  rejections = $state(0);
  lastSyncedAt = $state<string | null>(null);
  syncing = $state(false);
  /** 0..1 during a first full pull, else null. */
  firstSyncProgress = $state<number | null>(null);
  firstSyncRows = $state(0);
  message = $state('');
  online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  private engineState = $state<SyncState>('pending');

  /** What the badge shows (the rule: src/lib/domain/sync-status.ts). */
  badge: SyncBadge = $derived(
    syncBadge({
      engineState: this.engineState,
      engineMessage: this.message,
      online: this.online,
      syncing: this.syncing,
      pendingMutations: this.pendingMutations,
      pendingUploads: this.pendingUploads,
      rejections: this.rejections,
      firstSyncRows: this.firstSyncProgress === null ? null : this.firstSyncRows,
      lastSyncedAt: this.lastSyncedAt,
    }),
  );

  /** The badge's state, for the few places that branch on it. */
  get state(): BadgeState {
    return this.badge.state;
  }

  constructor(readonly engine: SyncEngine) {}

  /** Starts following the engine and the database; returns the cleanup. */
  connect(): () => void {
    const offStatus = this.engine.onStatus((s) => {
      this.engineState = s.state;
      this.message = s.message;
      this.syncing = s.syncing;
      this.firstSyncProgress = s.firstSyncProgress;
      this.firstSyncRows = s.firstSyncRows;
    });
    const counts = watchSyncCounts(this.engine.db).subscribe({
      next: (c) => {
        this.pendingMutations = c.pendingMutations;
        this.pendingUploads = c.pendingUploads;
        this.rejections = c.rejections;
        this.lastSyncedAt = c.lastSyncedAt;
      },
      error: (e) => console.error('[sync-status]', e),
    });
    const onOnline = () => (this.online = true);
    const onOffline = () => (this.online = false);
    if (typeof window !== 'undefined') {
      window.addEventListener('online', onOnline);
      window.addEventListener('offline', onOffline);
    }
    return () => {
      offStatus();
      counts.unsubscribe();
      if (typeof window !== 'undefined') {
        window.removeEventListener('online', onOnline);
        window.removeEventListener('offline', onOffline);
      }
    };
  }

  /** For the sign-out confirmation: reads the database, not the last rendered counts. */
  hasUnsyncedChanges(): Promise<boolean> {
    return this.engine.hasUnsyncedChanges();
  }
}

export interface SyncIdentity {
  facilityId: string;
  userId: string;
  role: Role;
}

/** Runs `fn` when the browser is idle (or soon, where it cannot tell). */
function idle(fn: () => void) {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(fn, { timeout: 10_000 });
  else setTimeout(fn, 1_000);
}

/** The sync of the active facility (one at a time: each facility has its own database). */
class SyncSession {
  current = $state<{ engine: SyncEngine; status: SyncStatus; identity: SyncIdentity } | null>(null);
  error = $state<string | null>(null);
  private cleanup: (() => void) | null = null;

  async open(identity: SyncIdentity): Promise<void> {
    const c = this.current?.identity;
    if (c && c.facilityId === identity.facilityId && c.userId === identity.userId && c.role === identity.role) {
      // Signed in again, or the facility is active again: a halted engine goes on.
      const halted = ['signed_out', 'facility_mismatch'].includes(this.current!.engine.status.state);
      if (halted) this.current!.engine.resume();
      return;
    }
    this.close();
    try {
      const engine = await SyncEngine.open({
        db: new PtpDb(identity.facilityId),
        facilityId: identity.facilityId,
        actor: { userId: identity.userId, role: identity.role },
      });
      const status = new SyncStatus(engine);
      const stop = status.connect();
      // The hand-off settings and pickup key: on opening, then after syncs (at most every few minutes).
      const settings = new FacilitySettingsSync(engine.db, identity.facilityId, api.facility);
      void settings
        .refresh({ force: true })
        .then(() => idle(() => void warmDevicePickupCodes(engine.db, identity.facilityId).catch(() => {})));
      const offSettings = engine.onStatus((s) => {
        if (s.state === 'synced' && !s.syncing) void settings.refresh();
      });
      engine.start();
      this.cleanup = () => {
        offSettings();
        stop();
        engine.stop();
        // A sync still under way (a facility switch mid-upload) ends on an open database first.
        void engine.idle().then(() => engine.db.close());
      };
      this.current = { engine, status, identity };
      this.error = null;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  close() {
    this.cleanup?.();
    this.cleanup = null;
    this.current = null;
  }
}

export const sync = new SyncSession();

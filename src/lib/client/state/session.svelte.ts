// Who is signed in and where (style.md habit 11: a rune class). The server decides the active
// facility; the device keeps the last answer so the app opens with no network (offline-first), and
// forgets it on sign-out, with the photos the service worker kept for it.
import { ApiError, api, type Facility, type Me } from '../api';
import { announcePhotoSession, forgetPhotos } from '../pwa';
import type { Role } from '../../domain/permissions';

const CACHE_KEY = 'ptp:session';

/** Photo-cache upkeep never stands in the way of signing in or out. */
function quietly(p: Promise<void>) {
  p.catch((e) => console.warn('[session] photo cache', e));
}

interface Cached {
  me: Me;
  facility: Facility | null;
}

function readCache(): Cached | null {
  try {
    const raw = localStorage.getItem(CACHE_KEY);
    return raw ? (JSON.parse(raw) as Cached) : null;
  } catch {
    return null;
  }
}

class Session {
  me = $state<Me | null>(null);
  facility = $state<Facility | null>(null);
  /** True when the answers come from the device because the server could not be reached. */
  fromCache = $state(false);

  role: Role | null = $derived(this.me?.memberships.find((m) => m.facilityId === this.me?.activeFacilityId)?.role ?? null);
  actor = $derived({ role: this.role, isOrganizationOwner: this.facility?.isOrganizationOwner ?? false });

  /** Loads the session from the server, or from the device when offline. */
  async load(): Promise<'ok' | 'signed_out'> {
    try {
      const me = await api.me();
      const facility = me.activeFacilityId ? await api.facility() : null;
      this.set(me, facility);
      this.fromCache = false;
      return 'ok';
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        this.clear();
        return 'signed_out';
      }
      const cached = readCache();
      if (cached && e instanceof ApiError && (e.status === 0 || e.status >= 500)) {
        this.me = cached.me;
        this.facility = cached.facility;
        this.fromCache = true;
        quietly(announcePhotoSession(cached.me.activeFacilityId));
        return 'ok';
      }
      throw e;
    }
  }

  async switchFacility(facilityId: string) {
    await api.setActiveFacility({ facilityId });
    // One facility at a time, photos included (the service worker also empties its cache when it
    // hears of the new facility from load()).
    await forgetPhotos().catch(() => {});
    await this.load();
  }

  private set(me: Me, facility: Facility | null) {
    this.me = me;
    this.facility = facility;
    quietly(announcePhotoSession(me.activeFacilityId));
    try {
      // The pickup key lives in the facility's own database (db/meta.ts), not in this cache.
      const kept = facility ? { ...facility, pickupKey: undefined } : null;
      localStorage.setItem(CACHE_KEY, JSON.stringify({ me, facility: kept } satisfies Cached));
    } catch {
      /* storage full: the app still works online */
    }
  }

  clear() {
    this.me = null;
    this.facility = null;
    quietly(forgetPhotos());
    quietly(announcePhotoSession(null));
    try {
      localStorage.removeItem(CACHE_KEY);
    } catch {
      /* nothing to clear */
    }
  }
}

export const session = new Session();

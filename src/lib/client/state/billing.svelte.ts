// The facility's plan state for the banner and the billing page. The last answer of GET
// /api/billing is kept on the device per facility, so the read-only banner (and the days it counts)
// still shows offline; the banner recounts days from the stored dates (domain/billing-banner.ts).
import { api, type Billing } from '../api';

const key = (facilityId: string) => `ptp:billing:${facilityId}`;

function stored(facilityId: string): Billing | null {
  try {
    const raw = localStorage.getItem(key(facilityId));
    return raw ? (JSON.parse(raw) as Billing) : null;
  } catch {
    return null;
  }
}

class BillingState {
  current = $state<Billing | null>(null);

  /** The server's answer, or the device's last one when the server cannot be reached. */
  async load(facilityId: string): Promise<Billing | null> {
    try {
      const b = await api.billing();
      this.current = b;
      try {
        localStorage.setItem(key(facilityId), JSON.stringify(b));
      } catch {
        // Storage full or blocked: the banner shows while online only.
      }
    } catch {
      this.current = stored(facilityId);
    }
    return this.current;
  }
}

export const billing = new BillingState();

// The Deliver screen's way to recipient pickup codes (the code and QR a recipient shows at the
// desk, checked on the device with no network). The code itself — its format, its signature with
// the facility's key, "used" after delivery — lives in domain/pickup-code.ts and db/pickup.ts; this
// module is the one place the screen calls, with exactly their signatures.
import type { PackageRow } from '../../domain/sync/rows';
import type { PtpDb } from '../db/schema';

export type PickupCheck =
  | { ok: true; package: PackageRow; recipientId: string; openPackages: PackageRow[] }
  | { ok: false; code: 'unknown_code' | 'already_collected' | 'other_recipient'; message: string };

/** The QR payload's prefix: `PTP1:<code>`. */
const QR_PREFIX = /^PTP1:/i;

/** Whether a scanned code is a recipient's pickup QR (and not a label). */
export const isPickupPayload = (raw: string) => QR_PREFIX.test(raw.trim());

// TEMPORARY until pickup codes land (domain/pickup-code.ts `normalizePickupCode`, db/pickup.ts
// `checkPickupCode`): every code reads as unknown. Replace the two functions below by re-exports:
//   export { normalizePickupCode } from '../../domain/pickup-code';
//   export { checkPickupCode } from '../db/pickup';

/** A typed or scanned pickup code, cleaned (case, spaces, dashes, the QR prefix), or null when it cannot be one. */
export function normalizePickupCode(input: string): string | null {
  const code = input
    .trim()
    .replace(QR_PREFIX, '')
    .replace(/[\s-]+/g, '')
    .toUpperCase();
  return /^[A-Z0-9]{4,16}$/.test(code) ? code : null;
}

/** Checks a pickup code on this device; `servingRecipientId` is the recipient on screen, if any. */
export async function checkPickupCode(db: PtpDb, facilityId: string, code: string, servingRecipientId?: string): Promise<PickupCheck> {
  void db;
  void facilityId;
  void code;
  void servingRecipientId;
  return { ok: false, code: 'unknown_code', message: 'This pickup code is not known on this device' };
}

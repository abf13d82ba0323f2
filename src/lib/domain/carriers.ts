// Carrier detection from a tracking number (SPEC "AI features": without network the app still
// does local barcode reading and carrier detection). Pure and shared: the receive form fills the
// carrier as soon as the scanner's Enter arrives; a person can always correct it.
//
// The formats and their check digits come from a maintained library (ts-tracking-number, the data
// of jkeen/tracking_number_data) rather than a hand-written table: a number is recognised only when
// its check digit holds, so a mistyped digit is not taken for a carrier. Labels often carry a longer
// barcode than the number people track: USPS prefixes the routing code 420 + ZIP (5 or 9 digits),
// FedEx prints a 34-digit barcode whose last 12 digits are the tracking number. Both are reduced to
// the number the carrier's tracking page knows.
import { getTracking } from 'ts-tracking-number';

export const CARRIERS = [
  { id: 'ups', label: 'UPS' },
  { id: 'usps', label: 'USPS' },
  { id: 'fedex', label: 'FedEx' },
  { id: 'dhl', label: 'DHL' },
  { id: 'amazon', label: 'Amazon' },
  { id: 'ontrac', label: 'OnTrac' },
  { id: 'lasership', label: 'LaserShip' },
  { id: 'other', label: 'Other' },
] as const;
export type CarrierId = (typeof CARRIERS)[number]['id'];

/** What scanners and people type, made comparable: no spaces or dashes, upper case. */
export function cleanTrackingNumber(raw: string): string {
  return raw.replace(/[\s-]+/g, '').toUpperCase();
}

/** The library's courier codes in ours. UPU S10 numbers belong to the post office of their country. */
function carrierOf(code: string, tracking: string): CarrierId | null {
  if (code === 's10') return tracking.endsWith('US') ? 'usps' : 'other';
  return (CARRIERS.some((c) => c.id === code) ? code : null) as CarrierId | null;
}

/** LaserShip is not in the library's data; its two number formats carry no check digit. */
const LASERSHIP = /^(L[A-Z]\d{8}|1LS\d{12,15})$/;

export interface RecognisedTracking {
  carrier: CarrierId;
  /** The number the carrier tracks (a routing prefix or a longer barcode reduced away). */
  trackingNumber: string;
}

function lookUp(tracking: string): RecognisedTracking | null {
  const found = getTracking(tracking);
  const carrier = found && carrierOf(found.courier.code, tracking);
  return carrier ? { carrier, trackingNumber: tracking } : null;
}

/** The real tracking number inside a longer label barcode, when there is one. */
function reduce(tracking: string, found: RecognisedTracking): RecognisedTracking {
  if (found.carrier === 'usps' && tracking.startsWith('420')) {
    // 420 + ZIP+4 or 420 + ZIP, then the IMpb number (22 or 26 digits starting with 9).
    for (const prefix of [12, 8]) {
      const rest = tracking.slice(prefix);
      if (/^9\d{21}(\d{4})?$/.test(rest) && lookUp(rest)?.carrier === 'usps') return { carrier: 'usps', trackingNumber: rest };
    }
  }
  if (found.carrier === 'fedex' && /^\d{34}$/.test(tracking)) {
    const last12 = tracking.slice(-12);
    if (lookUp(last12)?.carrier === 'fedex') return { carrier: 'fedex', trackingNumber: last12 };
  }
  return found;
}

/** The carrier and real tracking number of what was scanned or typed, or null when no format holds. */
export function recogniseTracking(raw: string): RecognisedTracking | null {
  const tracking = cleanTrackingNumber(raw);
  if (tracking.length < 8) return null;
  const found = lookUp(tracking);
  if (found) return reduce(tracking, found);
  return LASERSHIP.test(tracking) ? { carrier: 'lasership', trackingNumber: tracking } : null;
}

/** The carrier a tracking number most likely belongs to, or null when no format matches. */
export function detectCarrier(raw: string): CarrierId | null {
  return recogniseTracking(raw)?.carrier ?? null;
}

export function carrierLabel(id: string): string {
  return CARRIERS.find((c) => c.id === id)?.label ?? id;
}

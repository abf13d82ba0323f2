// A carrier label carries several barcodes at once (UPS: a MaxiCode, the tracking number's Code 128
// and a postal code; FedEx: a PDF417 and a 34-digit Code 128; USPS: the IMpb with its 420 + ZIP
// routing prefix). The camera sees them all in one frame; this picks the one to use. Pure, shared.
import { cleanTrackingNumber, recogniseTracking, type RecognisedTracking } from './carriers';

/** A barcode as the Barcode Detection API reports it. */
export interface DetectedCode {
  format: string;
  rawValue: string;
}

export interface ScanChoice {
  /** What was read, as a scanner would have typed it (control characters such as GS1's FNC1 removed). */
  code: string;
  /** The carrier and real tracking number when a format with a check digit holds. */
  tracking: RecognisedTracking | null;
}

/** The formats the camera looks for: carriers' linear codes, 2-D codes, retail codes. */
export const SCAN_FORMATS = [
  'code_128',
  'code_39',
  'code_93',
  'codabar',
  'itf',
  'data_matrix',
  'pdf417',
  'qr_code',
  'aztec',
  'ean_13',
  'ean_8',
  'upc_a',
  'upc_e',
] as const;

/** Linear codes hold tracking numbers; 2-D codes on labels mostly hold routing data or links. */
const LINEAR = new Set(['code_128', 'code_39', 'code_93', 'codabar', 'itf', 'ean_13', 'ean_8', 'upc_a', 'upc_e']);

/** What a barcode may hold to be taken as a package number of an unknown carrier. */
const PLAUSIBLE = /^[A-Z0-9]{8,40}$/;

/** Group separators (GS1 FNC1), symbology prefixes' control bytes and the like. */
function stripControls(raw: string): string {
  // eslint-disable-next-line no-control-regex
  return raw.replace(/[\u0000-\u001f\u007f]/g, '');
}

/**
 * The barcode to use among those read together: a valid tracking number (check digit holds) first,
 * linear codes before 2-D ones among equals; otherwise a linear code that looks like a package
 * number (a carrier the library does not know); otherwise nothing (a QR code's link, a MaxiCode's
 * routing data). `wanted` names codes a screen takes whatever their format (a pickup code's QR).
 */
export function chooseScan(codes: readonly DetectedCode[], wanted?: (code: string) => boolean): ScanChoice | null {
  const read = codes
    .map((c, i) => ({ i, linear: LINEAR.has(c.format), code: stripControls(c.rawValue).trim() }))
    .filter((c) => c.code.length > 0);
  const rank = (a: { i: number; linear: boolean }, b: { i: number; linear: boolean }) => Number(b.linear) - Number(a.linear) || a.i - b.i;

  // A code the screen asked for (a recipient's pickup QR on the Deliver screen) comes first.
  const asked = wanted ? read.filter((c) => wanted(c.code)).sort(rank)[0] : undefined;
  if (asked) return { code: asked.code, tracking: null };

  const valid = read.map((c) => ({ ...c, tracking: recogniseTracking(c.code) })).filter((c) => c.tracking);
  const best = valid.sort(rank)[0];
  if (best) return { code: best.code, tracking: best.tracking };

  const plausible = read.filter((c) => c.linear && PLAUSIBLE.test(cleanTrackingNumber(c.code))).sort(rank)[0];
  return plausible ? { code: plausible.code, tracking: null } : null;
}

/**
 * A camera sees the same label in frame after frame: a code is taken once, and again only after it
 * has been out of sight for `sameMs` (a label held up keeps refreshing its time). Any other code
 * waits `anyMs` after the last one taken, so a label moving through the frame is not read as two.
 */
export class ScanCooldown {
  private seen = new Map<string, number>();
  private lastTaken = -Infinity;

  constructor(
    readonly sameMs = 2500,
    readonly anyMs = 800,
  ) {}

  /** Whether to take `code` seen at `now` (ms). */
  take(code: string, now: number): boolean {
    for (const [c, t] of this.seen) if (now - t > this.sameMs) this.seen.delete(c);
    if (this.seen.has(code)) {
      this.seen.set(code, now);
      return false;
    }
    if (now - this.lastTaken < this.anyMs) return false;
    this.seen.set(code, now);
    this.lastTaken = now;
    return true;
  }
}

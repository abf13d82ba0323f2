// Carrier detection from a tracking number (SPEC "AI features": without network the app still
// does local barcode reading and carrier detection). Pure and shared: the receive form fills the
// carrier as soon as the scanner's Enter arrives; a person can always correct it. Formats follow
// the carriers' published number structures; when two formats overlap, the more specific one wins
// (checked first).

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

const PATTERNS: [CarrierId, RegExp][] = [
  ['ups', /^1Z[0-9A-Z]{16}$/], // 1Z + shipper + service + package + check digit
  ['ups', /^(T\d{10}|\d{9}|\d{26})$/], // UPS freight / Mail Innovations
  ['amazon', /^TBA\d{12}$/],
  ['usps', /^(420\d{5}(\d{4})?)?(9[1-5]\d{20}|9[1-5]\d{24})$/], // IMpb, optionally with the 420+ZIP routing prefix
  ['usps', /^(82\d{8}|[A-Z]{2}\d{9}US)$/], // international (UPU S10) and Global Express
  ['fedex', /^(96\d{20}|\d{12}|\d{15}|61\d{18}|DT\d{12})$/],
  ['dhl', /^(JJD\d{18}|JVGL\d{16}|GM\d{16,18}|LX\d{9}[A-Z]{2}|\d{10}|\d{11})$/],
  ['ontrac', /^[CD]\d{14}$/],
  ['lasership', /^(L[A-Z]\d{8}|1LS\d{12,15})$/],
];

/** What scanners and people type, made comparable: no spaces or dashes, upper case. */
export function cleanTrackingNumber(raw: string): string {
  return raw.replace(/[\s-]+/g, '').toUpperCase();
}

/** The carrier a tracking number most likely belongs to, or null when no format matches. */
export function detectCarrier(raw: string): CarrierId | null {
  const tracking = cleanTrackingNumber(raw);
  if (tracking.length < 8) return null;
  for (const [carrier, pattern] of PATTERNS) if (pattern.test(tracking)) return carrier;
  return null;
}

export function carrierLabel(id: string): string {
  return CARRIERS.find((c) => c.id === id)?.label ?? id;
}

// Facility codes: short, unique, immutable (SPEC: "a facility code fixed at creation, part of the
// facility's internal package ids/labels"). Letters from the name plus random characters from an
// alphabet without look-alikes (0/O, 1/I/L), so a code read off a label is unambiguous.

const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export const FACILITY_CODE_PATTERN = /^[A-Z]{2,3}-[A-HJ-KM-NP-Z2-9]{4}$/;

/** `random` yields integers in [0, n); injectable so the rule is testable. */
export function facilityCode(name: string, random: (n: number) => number): string {
  const letters = name
    .normalize('NFKD')
    .replace(/[^A-Za-z]/g, '')
    .toUpperCase();
  const prefix = (letters.slice(0, 3) || 'FAC').padEnd(2, 'X');
  let suffix = '';
  for (let i = 0; i < 4; i++) suffix += ALPHABET[random(ALPHABET.length)];
  return `${prefix}-${suffix}`;
}

/** An internal package id: the facility's code, the day (UTC) and four unambiguous characters. */
export const INTERNAL_ID_PATTERN = /^[A-Z]{2,3}-[A-HJ-KM-NP-Z2-9]{4}-\d{6}-[A-HJ-KM-NP-Z2-9]{4}$/;

/**
 * The id of a package that arrived without a barcode (SPEC: the facility code is "part of the
 * facility's internal package ids/labels"), e.g. `HEA-ABC9-261129-K7QM`. Written on the package by
 * hand or on a printed label; it passes the tracking-number rule, so it is stored like one.
 * 31⁴ ≈ 923,000 per facility and day: a clash is improbable and shows as a duplicate warning.
 */
export function internalPackageId(code: string, at: Date, random: (n: number) => number): string {
  if (!FACILITY_CODE_PATTERN.test(code)) throw new Error(`not a facility code: ${code}`);
  const day = at.toISOString().slice(2, 10).replaceAll('-', '');
  let suffix = '';
  for (let i = 0; i < 4; i++) suffix += ALPHABET[random(ALPHABET.length)];
  return `${code}-${day}-${suffix}`;
}

export const isInternalPackageId = (tracking: string) => INTERNAL_ID_PATTERN.test(tracking);

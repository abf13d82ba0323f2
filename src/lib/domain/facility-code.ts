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

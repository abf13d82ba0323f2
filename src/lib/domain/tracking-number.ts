// What a tracking number may contain: what barcodes carry. Code 128, Code 39 and the carriers'
// 2D codes encode printable ASCII, and every carrier's number is letters and digits, sometimes
// printed with spaces or dashes. Anything else (an emoji, an accented letter, a control character
// from a misconfigured scanner) is a typing or scanning mistake, refused in words — by the receive
// form as it is typed and by the server's schema for the mutations that carry the rule.

/** Letters, digits and the separators labels print between groups. */
const ALLOWED = /^[A-Za-z0-9 \-_./#+:]*$/;
const HAS_ALNUM = /[A-Za-z0-9]/;
export const TRACKING_MAX = 120;
export const TRACKING_RULE_MESSAGE = 'A tracking number has only letters A–Z, digits and the separators - _ . / # + :';

/** The characters a barcode cannot carry, each once, in order of appearance. */
export function invalidTrackingCharacters(raw: string): string[] {
  const bad: string[] = [];
  for (const ch of raw) if (!ALLOWED.test(ch) && !bad.includes(ch)) bad.push(ch);
  return bad;
}

/** Why this is not a tracking number, in words, or null when it may be one. */
export function trackingNumberProblem(raw: string): string | null {
  const value = raw.trim();
  if (!value) return 'Scan or type the tracking number';
  const bad = invalidTrackingCharacters(value);
  if (bad.length) {
    const shown = bad.map((c) => (/\p{Cc}/u.test(c) ? `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : `“${c}”`));
    return `${TRACKING_RULE_MESSAGE}: remove ${shown.join(', ')}`;
  }
  if (!HAS_ALNUM.test(value)) return 'A tracking number needs at least one letter or digit';
  if (value.length > TRACKING_MAX) return `A tracking number is at most ${TRACKING_MAX} characters (this one has ${value.length})`;
  return null;
}

export const isTrackingNumber = (raw: string) => trackingNumberProblem(raw) === null;

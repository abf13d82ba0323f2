// Searching packages on the device: what text a package is found by, and how a query matches it.
// Any part of any word counts ("Lovelace", "love" and "lace" all find Ada Lovelace), so do any part
// of a tracking number (prefix, suffix or middle, spaces and case ignored), the sender and the notes.
// Every word of the query must be found (AND): "ada love" finds Ada Lovelace, not Ada Byron.
// Accents and case are ignored both ways ("muller" finds Müller, "MÜLLER" finds Muller).

/** The fields a package is searched by. */
export interface SearchablePackage {
  recipientName: string;
  trackingNumber: string;
  sender?: string | null;
  notes?: string | null;
}

/** Lowercase, accents removed (NFKD, combining marks dropped), ß → ss. */
export function foldText(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss');
}

/** Longest query the device searches by (longer input is cut, never an error). */
export const MAX_SEARCH_LENGTH = 100;

/** A field separator no query can contain (terms never hold control characters). */
const SEP = '\u0001';

/**
 * The text a package is found by: folded name, sender and notes, and the tracking number both as
 * printed and without spaces or dashes (scanners and people type it differently).
 */
export function packageSearchText(p: SearchablePackage): string {
  const tracking = foldText(p.trackingNumber ?? '');
  return [foldText(p.recipientName ?? ''), tracking.replace(/[\s-]+/g, ''), foldText(p.sender ?? ''), foldText(p.notes ?? '')].join(SEP);
}

/** The words of a query, folded and de-duplicated; punctuation around words is ignored. */
export function searchTerms(query: string): string[] {
  const words = foldText(query.slice(0, MAX_SEARCH_LENGTH))
    .split(/[\s,;]+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter(Boolean);
  return [...new Set(words)];
}

/** Whether every term occurs in the text (an empty query matches everything). */
export function matchesSearch(text: string, terms: readonly string[]): boolean {
  for (const t of terms) if (!text.includes(t)) return false;
  return true;
}

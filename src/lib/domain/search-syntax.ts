// The admin desk's local search syntax (issue 12): what a person types when Claude is not there —
// offline, no key, AI switched off — or simply prefers to be exact:
//
//   held carrier:fedex dept:engineering since:7d
//   for:"Dana Lee" from:2026-11-01 to:2026-11-20
//   delivered since:monday        today        yesterday        last week
//
// It gives the same filter object the AI route answers (status, carrier, recipientName,
// departmentName, from, to, text), dates being calendar days in the FACILITY's time zone, and
// `filterToSyntax` writes a filter back so the chips can be edited as text and read again
// (parse(format(f)) == f, property-tested). Pure TypeScript, shared by the desk and its tests.
import type { SearchFilter } from './ai';
import { CARRIERS, type CarrierId } from './carriers';
import { foldText } from './recipient-search';
import { isCalendarDate, localDate } from './zoned-time';

export const SEARCH_STATUSES = ['received', 'held', 'delivered', 'returned', 'all'] as const;
export type SearchStatus = (typeof SEARCH_STATUSES)[number];

/** Bounds of the filter's words, the AI route's (ai.ts searchFilter; the list's search takes 100 characters). */
export const SEARCH_MAX = { name: 120, text: 100 } as const;

/** The structured filter a question becomes: the AI route's `searchFilter` (ai.ts), ids aside. */
export type { SearchFilter };
export type SearchField = keyof SearchFilter;
/** The order fields are written in (and chips shown in). */
export const SEARCH_FIELDS: readonly SearchField[] = ['status', 'carrier', 'recipientName', 'departmentName', 'from', 'to', 'text'];

export interface ParsedSearch {
  filter: SearchFilter;
  /** What could not be read, in words (an unknown carrier, a date that does not exist…). */
  problems: string[];
}

export interface SearchContext {
  /** The instant "today" is read at. */
  now: Date;
  /** The facility's IANA time zone: "today" and "since:monday" are its days. */
  timeZone: string;
}

const KEYS: Record<string, 'status' | 'carrier' | 'recipientName' | 'departmentName' | 'from' | 'to' | 'since' | 'text'> = {
  status: 'status',
  is: 'status',
  carrier: 'carrier',
  for: 'recipientName',
  recipient: 'recipientName',
  dept: 'departmentName',
  department: 'departmentName',
  from: 'from',
  to: 'to',
  since: 'since',
  text: 'text',
};

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
/** Bare words with a meaning of their own; any of them meant as text is written in quotes. */
const RESERVED = new Set<string>([...SEARCH_STATUSES, 'today', 'yesterday', 'this', 'last']);

// --- calendar days ---------------------------------------------------------------------------------

const dayMs = 86_400_000;
const toDays = (date: string) => Date.parse(`${date}T00:00:00Z`) / dayMs;
const fromDays = (n: number) => new Date(n * dayMs).toISOString().slice(0, 10);
/** A calendar date moved by whole days (no clocks involved: DST cannot shift it). */
export const addDays = (date: string, n: number) => fromDays(toDays(date) + n);
/** 0 = Sunday … 6 = Saturday. */
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
/** The Monday of the week a date is in (weeks start on Monday). */
const mondayOf = (date: string) => addDays(date, -((weekday(date) + 6) % 7));

/** Today in the facility, as its wall clock reads it. */
export const facilityToday = (ctx: SearchContext) => localDate(ctx.now, ctx.timeZone);

/** `since:` values: 7d, 2w, 3m (months of 30 days), a weekday, today, yesterday, or a date. */
function sinceDate(value: string, today: string): string | null {
  const v = value.toLowerCase();
  const n = /^(\d{1,4})([dwm])$/.exec(v);
  if (n) return addDays(today, -Number(n[1]) * { d: 1, w: 7, m: 30 }[n[2] as 'd' | 'w' | 'm']);
  if (v === 'today') return today;
  if (v === 'yesterday') return addDays(today, -1);
  const wd = WEEKDAYS.findIndex((w) => w === v || w.slice(0, 3) === v);
  if (wd >= 0) return addDays(today, -((weekday(today) - wd + 7) % 7)); // today when it is that day
  return isCalendarDate(v) ? v : null;
}

// --- words -----------------------------------------------------------------------------------------

interface Token {
  /** `key` of key:value, lower case; null for a bare word. */
  key: string | null;
  value: string;
  /** Written in quotes: always text, never a keyword. */
  quoted: boolean;
}

/** Splits the input into words, key:value pairs and "quoted phrases" (\" and \\ escape in quotes). */
function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const s = input;
  const quoted = (): string => {
    let v = '';
    i++; // the opening quote
    while (i < s.length && s[i] !== '"') {
      if (s[i] === '\\' && i + 1 < s.length) i++;
      v += s[i++];
    }
    i++; // the closing quote (or the end)
    return v;
  };
  while (i < s.length) {
    if (/\s/.test(s[i]!)) {
      i++;
      continue;
    }
    if (s[i] === '"') {
      out.push({ key: null, value: quoted(), quoted: true });
      continue;
    }
    let word = '';
    while (i < s.length && !/\s/.test(s[i]!) && s[i] !== '"') word += s[i++];
    const colon = word.indexOf(':');
    if (colon > 0 && word.slice(0, colon).toLowerCase() in KEYS) {
      const key = word.slice(0, colon).toLowerCase();
      let value = word.slice(colon + 1);
      let isQuoted = false;
      if (!value && s[i] === '"') {
        value = quoted();
        isQuoted = true;
      }
      out.push({ key, value, quoted: isQuoted });
    } else if (word) {
      out.push({ key: null, value: word, quoted: false });
    }
  }
  return out;
}

/** Spaces made single, ends trimmed: the form every name and text is kept in. */
export const tidy = (s: string) => s.replace(/\s+/g, ' ').trim();

/** A carrier's id from its id or its label, in any case ("FedEx", "fedex"). */
export function carrierId(value: string): CarrierId | null {
  const v = value.trim().toLowerCase();
  return CARRIERS.find((c) => c.id === v || c.label.toLowerCase() === v)?.id ?? null;
}

// --- reading ---------------------------------------------------------------------------------------

/** Reads the local syntax into a filter, with what could not be read in words. */
export function parseSearchSyntax(input: string, ctx: SearchContext): ParsedSearch {
  const today = facilityToday(ctx);
  const filter: SearchFilter = {};
  const problems: string[] = [];
  const text: string[] = [];
  const tokens = tokenize(input);

  const range = (from: string, to: string | undefined) => {
    filter.from = from;
    if (to) filter.to = to;
    else delete filter.to;
  };

  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.key === null) {
      const w = t.value.toLowerCase();
      const next = tokens[k + 1];
      const pair = !t.quoted && next && next.key === null && !next.quoted ? `${w} ${next.value.toLowerCase()}` : '';
      const monthStart = `${today.slice(0, 8)}01`;
      // Two-word periods ("last week") take the next word with them.
      const periods: Record<string, [string, string | undefined]> = {
        'this week': [mondayOf(today), undefined],
        'last week': [addDays(mondayOf(today), -7), addDays(mondayOf(today), -1)],
        'this month': [monthStart, undefined],
        'last month': [`${addDays(monthStart, -1).slice(0, 8)}01`, addDays(monthStart, -1)],
      };
      if (t.quoted) text.push(t.value);
      else if ((SEARCH_STATUSES as readonly string[]).includes(w)) filter.status = w as SearchStatus;
      else if (w === 'today') range(today, today);
      else if (w === 'yesterday') range(addDays(today, -1), addDays(today, -1));
      else if (pair && periods[pair]) {
        range(...periods[pair]);
        k++;
      } else text.push(t.value);
      continue;
    }
    const field = KEYS[t.key]!;
    const value = tidy(t.value);
    if (!value) {
      problems.push(`${t.key}: needs a value`);
      continue;
    }
    switch (field) {
      case 'status': {
        const v = value.toLowerCase();
        if ((SEARCH_STATUSES as readonly string[]).includes(v)) filter.status = v as SearchStatus;
        else problems.push(`No status “${value}”: use ${SEARCH_STATUSES.join(', ')}`);
        break;
      }
      case 'carrier': {
        const id = carrierId(value);
        if (id) filter.carrier = id;
        else problems.push(`No carrier “${value}”: use ${CARRIERS.map((c) => c.id).join(', ')}`);
        break;
      }
      case 'recipientName':
      case 'departmentName':
        if ([...value].length > SEARCH_MAX.name) problems.push(`${t.key}: at most ${SEARCH_MAX.name} characters`);
        else filter[field] = value;
        break;
      case 'from':
      case 'to': {
        // A date, or the same relative days as since: (to:yesterday, from:monday).
        const d = sinceDate(value, today);
        if (d) filter[field] = d;
        else problems.push(`${t.key}: “${value}” is not a date (YYYY-MM-DD)`);
        break;
      }
      case 'since': {
        const d = sinceDate(value, today);
        if (d) range(d, undefined);
        else problems.push(`since: “${value}” is not understood (7d, 2w, monday, yesterday or YYYY-MM-DD)`);
        break;
      }
      case 'text':
        text.push(value);
        break;
    }
  }

  const words = tidy(text.join(' '));
  if (words) {
    if ([...words].length > SEARCH_MAX.text) problems.push(`The search words are at most ${SEARCH_MAX.text} characters`);
    else filter.text = words;
  }
  if (filter.from && filter.to && filter.from > filter.to) {
    problems.push(`The range starts (${filter.from}) after it ends (${filter.to})`);
    delete filter.to;
  }
  return { filter, problems };
}

// --- writing ---------------------------------------------------------------------------------------

/** A value as the syntax writes it: bare when it is one plain word, otherwise in quotes. */
function value(v: string): string {
  return /^[^\s"\\:]+$/.test(v) ? v : `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** The text part: bare words when none of them could be read as syntax, otherwise one quoted phrase. */
function textPart(text: string): string {
  const plain = text.split(' ').every((w) => /^[^\s"\\:]+$/.test(w) && !RESERVED.has(w.toLowerCase()));
  return plain ? text : `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** One field as the syntax writes it (a chip's text): `carrier:fedex`, `for:"Dana Lee"`. */
export function fieldToSyntax(field: SearchField, filter: SearchFilter): string {
  const v = filter[field];
  if (v === undefined) return '';
  switch (field) {
    case 'status':
      return `status:${v}`;
    case 'carrier':
      return `carrier:${value(v)}`;
    case 'recipientName':
      return `for:${value(v)}`;
    case 'departmentName':
      return `dept:${value(v)}`;
    case 'from':
      return `from:${v}`;
    case 'to':
      return `to:${v}`;
    case 'text':
      return textPart(v);
  }
}

/** The filter written in the local syntax; reading it back gives the same filter. */
export function filterToSyntax(filter: SearchFilter): string {
  return SEARCH_FIELDS.map((f) => fieldToSyntax(f, filter))
    .filter(Boolean)
    .join(' ');
}

/**
 * A plain-language question or the syntax? Input the syntax reads whole (no words left over as
 * text) is searched locally even when Claude is there: no call is spent on `held carrier:fedex`.
 */
export function isPureSyntax(input: string, ctx: SearchContext): boolean {
  const { filter, problems } = parseSearchSyntax(input, ctx);
  return problems.length === 0 && filter.text === undefined && tokenize(input).length > 0;
}

// --- names to ids ----------------------------------------------------------------------------------

const words = (s: string) =>
  foldText(s)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/**
 * The one directory row a typed name means, on the device (the local path has no server to ask):
 * the name itself (case and accents aside), else the only row whose words start with every typed
 * word ("dana" → Dana Lee, "eng" → Engineering). Null when nobody or several are meant: the name
 * is then searched as words, or the person picks.
 */
export function resolveName<T extends { id: string; name: string }>(name: string, rows: readonly T[]): T | null {
  const typed = words(name);
  if (!typed.length) return null;
  const exact = rows.filter((r) => words(r.name).join(' ') === typed.join(' '));
  if (exact.length) return exact.length === 1 ? exact[0]! : null;
  const starts = rows.filter((r) => {
    const own = words(r.name);
    return typed.every((t) => own.some((w) => w.startsWith(t)));
  });
  return starts.length === 1 ? starts[0]! : null;
}

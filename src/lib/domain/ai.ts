// The AI features (issue 12, SPEC "AI features"): what Claude may answer, what the routes answer,
// and the rules that turn the one into the other. Pure TypeScript shared by the server (which
// validates every model answer with these schemas before anything else reads it) and the browser
// (which parses the routes' answers and builds the same filter from its local search syntax).
//
// The model's output is data to check, never instructions: every field is length-bounded, extra
// fields are REFUSED (a tool call with keys we did not ask for is treated as a failed read and the
// client falls back to its local path), and nothing the model says can widen a query's scope —
// names become ids only through the facility's own directory, on the server.
import { z } from 'zod';
import { CARRIERS, cleanTrackingNumber, recogniseTracking, type CarrierId } from './carriers';
import { MAX_Q, STATUS_TABS, day, packageListItem } from './package-list';
import { foldText } from './recipient-search';
import { TRACKING_MAX, isTrackingNumber } from './tracking-number';

// --- limits ---------------------------------------------------------------------------------------

/** A label crop is at most this many bytes (larger → 413). */
export const AI_LABEL_MAX_BYTES = 2 * 1024 * 1024;
/** The crop types the label route takes (anything else → 415). */
export const AI_LABEL_TYPES = ['image/jpeg', 'image/png'] as const;
/** Claude's vision works best at or under this long edge; the device shrinks to it and the server makes sure. */
export const AI_IMAGE_MAX_EDGE = 1568;
/** Fields read with less confidence than this are marked for the operator to look at. */
export const REVIEW_BELOW = 0.8;
/** Directory candidates answered with a label reading. */
export const LABEL_CANDIDATES = 5;
/** At most this many candidates go to Claude for a match (privacy: never the whole directory). */
export const MATCH_MAX_CANDIDATES = 10;
/** A plain-language question is at most this long. */
export const SEARCH_Q_MAX = 200;

/** Stable error codes of the AI routes (sync-server/src/http/errors.ts carries them as AppError codes). */
export const AI_ERROR = {
  /** No key, AI switched off for the facility, Claude unreachable, too slow, or its answer unusable: use the local path. */
  unavailable: 'ai_unavailable',
  /** The facility's daily number of AI calls is used up (429): use the local path until tomorrow (UTC). */
  capReached: 'ai_cap_reached',
} as const;

// --- label reading --------------------------------------------------------------------------------

export const LABEL_FIELDS = ['carrier', 'trackingNumber', 'recipientName', 'sender'] as const;
export type LabelField = (typeof LABEL_FIELDS)[number];

/** Per field, the longest text accepted from the model. */
export const LABEL_FIELD_MAX: Record<LabelField, number> = {
  carrier: 40,
  trackingNumber: TRACKING_MAX,
  recipientName: 120,
  sender: 200,
};

/** A text the model read: bounded, control characters and runs of spaces collapsed, empty → null. */
const readText = (max: number) =>
  z
    .string()
    .max(max)
    .nullable()
    .transform((v) =>
      v === null
        ? null
        : v
            .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
            .replace(/\s+/g, ' ')
            .trim() || null,
    );

const confidence = z.number().min(0).max(1);

/** The input of Claude's `read_label` tool call, exactly these keys (more → refused). */
export const labelReading = z.strictObject({
  carrier: readText(LABEL_FIELD_MAX.carrier),
  trackingNumber: readText(LABEL_FIELD_MAX.trackingNumber),
  recipientName: readText(LABEL_FIELD_MAX.recipientName),
  sender: readText(LABEL_FIELD_MAX.sender),
  confidence,
});
export type LabelReading = z.output<typeof labelReading>;

/** The same, as the JSON Schema of the tool Claude is given (hand-written so it stays byte-stable for prompt caching). */
export const LABEL_TOOL_SCHEMA = {
  type: 'object',
  properties: {
    carrier: { type: ['string', 'null'], maxLength: LABEL_FIELD_MAX.carrier, description: 'The shipping carrier printed on the label' },
    trackingNumber: {
      type: ['string', 'null'],
      maxLength: LABEL_FIELD_MAX.trackingNumber,
      description: 'The tracking number as printed (usually near the main barcode)',
    },
    recipientName: {
      type: ['string', 'null'],
      maxLength: LABEL_FIELD_MAX.recipientName,
      description: 'The name of the person (or team) in the SHIP TO block',
    },
    sender: {
      type: ['string', 'null'],
      maxLength: LABEL_FIELD_MAX.sender,
      description: 'The company or person in the FROM / return address block',
    },
    confidence: { type: 'number', minimum: 0, maximum: 1, description: 'How sure you are of the reading as a whole, 0 to 1' },
  },
  required: ['carrier', 'trackingNumber', 'recipientName', 'sender', 'confidence'],
  additionalProperties: false,
} as const;

export const TRACKING_CHECKS = ['matches_barcode', 'check_digit_ok', 'mismatch', 'unverified'] as const;
export type TrackingCheck = (typeof TRACKING_CHECKS)[number];

const candidate = z.strictObject({
  recipientId: z.string(),
  name: z.string(),
  score: z.number().min(0).max(1).describe('How close the name on the label is to this name, 0 to 1'),
});
export type LabelCandidate = z.infer<typeof candidate>;

/** The answer of POST /api/ai/label. */
export const aiLabelAnswer = z.strictObject({
  carrier: z.string().nullable().describe('A carrier id of carriers.ts (ups, usps, fedex, …, other); null: not read'),
  trackingNumber: z.string().nullable(),
  recipientName: z.string().nullable(),
  sender: z.string().nullable(),
  confidence: confidence,
  review: z.array(z.enum(LABEL_FIELDS)).describe('Fields the operator should look at before saving'),
  trackingCheck: z
    .enum(TRACKING_CHECKS)
    .describe(
      'matches_barcode: the same number as the barcode read on the device; check_digit_ok: a carrier format and its check digit hold; ' +
        "mismatch: the reading and the device's barcode differ (the number that passes its check digit is answered); unverified: neither",
    ),
  candidates: z.array(candidate).max(LABEL_CANDIDATES).describe("The closest people in this facility's directory, best first"),
});
export type AiLabelAnswer = z.infer<typeof aiLabelAnswer>;

/** The label route's query: the barcode text the device read, for the cross-check. */
export const aiLabelQuery = z.object({
  barcode: z.string().max(200).optional().describe('The barcode text read on the device, to cross-check the tracking number with'),
});

const CARRIER_WORDS: Record<string, CarrierId> = {
  unitedparcelservice: 'ups',
  unitedstatespostalservice: 'usps',
  uspostalservice: 'usps',
  postalservice: 'usps',
  federalexpress: 'fedex',
  fedexground: 'fedex',
  fedexexpress: 'fedex',
  dhlexpress: 'dhl',
  amazonlogistics: 'amazon',
  amazoncom: 'amazon',
  amzl: 'amazon',
};

/** A carrier as the model (or a person) writes it, as a carrier id; unknown names are `other`, nothing is null. */
export function normaliseCarrier(raw: string | null | undefined): CarrierId | null {
  if (!raw) return null;
  const key = foldText(raw).replace(/[^a-z0-9]/g, '');
  if (!key) return null;
  const known = CARRIERS.find((c) => c.id === key || foldText(c.label).replace(/[^a-z0-9]/g, '') === key);
  return known?.id ?? CARRIER_WORDS[key] ?? 'other';
}

export interface TrackingCrossCheck {
  trackingNumber: string | null;
  /** The carrier the number's format names, when its check digit holds. */
  detected: CarrierId | null;
  check: TrackingCheck;
}

/**
 * The tracking number to answer, checked against the barcode read on the device and the carrier
 * formats' check digits. The device's barcode is machine-read and wins when it passes its check
 * digit; the model's reading wins over a barcode that passes none (labels carry other barcodes).
 */
export function crossCheckTracking(read: string | null | undefined, barcode?: string | null): TrackingCrossCheck {
  const model = read && isTrackingNumber(read) ? read.trim() : null;
  const code = barcode && isTrackingNumber(barcode) ? barcode.trim() : null;
  const modelRec = model ? recogniseTracking(model) : null;
  const codeRec = code ? recogniseTracking(code) : null;
  const modelNumber = model ? (modelRec?.trackingNumber ?? cleanTrackingNumber(model)) : null;
  const codeNumber = code ? (codeRec?.trackingNumber ?? cleanTrackingNumber(code)) : null;
  if (model && code) {
    // The same number, or the human-readable one inside a longer barcode (USPS 420+ZIP, FedEx 34 digits).
    if (modelNumber === codeNumber || cleanTrackingNumber(model) === cleanTrackingNumber(code)) {
      return { trackingNumber: codeNumber, detected: codeRec?.carrier ?? modelRec?.carrier ?? null, check: 'matches_barcode' };
    }
    if (codeRec) return { trackingNumber: codeRec.trackingNumber, detected: codeRec.carrier, check: 'mismatch' };
    return { trackingNumber: modelNumber, detected: modelRec?.carrier ?? null, check: 'mismatch' };
  }
  const only = modelRec ?? codeRec;
  if (only) return { trackingNumber: only.trackingNumber, detected: only.carrier, check: 'check_digit_ok' };
  return { trackingNumber: modelNumber ?? codeNumber, detected: null, check: 'unverified' };
}

/** Letter pairs of a folded text, for a similarity that forgives typos and missing letters. */
function bigrams(s: string): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < s.length - 1; i++) {
    const g = s.slice(i, i + 2);
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

function dice(a: string, b: string): number {
  if (a === b) return a ? 1 : 0;
  if (a.length < 2 || b.length < 2) return 0;
  const A = bigrams(a);
  const B = bigrams(b);
  let both = 0;
  for (const [g, n] of A) both += Math.min(n, B.get(g) ?? 0);
  return (2 * both) / (a.length - 1 + (b.length - 1));
}

const nameWords = (s: string) =>
  foldText(s)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);

/**
 * How close two names are, 0 to 1, whatever the order of their words ("LOVELACE, ADA" and
 * "Ada Lovelace" are 1), case and accents aside. Rounded to two decimals.
 */
export function nameScore(a: string, b: string): number {
  const wa = nameWords(a);
  const wb = nameWords(b);
  if (!wa.length || !wb.length) return 0;
  const straight = dice(wa.join(' '), wb.join(' '));
  const sorted = dice([...wa].sort().join(' '), [...wb].sort().join(' '));
  return Math.round(Math.max(straight, sorted) * 100) / 100;
}

/** A candidate is a clear match from this score on (the recipient field needs no look). */
export const CLEAR_MATCH = 0.9;

/** The route's answer from a validated reading, the device's barcode and the directory's candidates. */
export function labelAnswer(reading: LabelReading, barcode: string | null | undefined, candidates: LabelCandidate[]): AiLabelAnswer {
  const tracking = crossCheckTracking(reading.trackingNumber, barcode);
  const said = normaliseCarrier(reading.carrier);
  const carrier = tracking.detected ?? said;
  const review = new Set<LabelField>();
  const low = reading.confidence < REVIEW_BELOW;
  if (carrier && (low || (said !== null && tracking.detected !== null && said !== tracking.detected) || carrier === 'other'))
    review.add('carrier');
  if (tracking.trackingNumber && (low || tracking.check === 'mismatch' || tracking.check === 'unverified')) review.add('trackingNumber');
  if (reading.trackingNumber && !tracking.trackingNumber) review.add('trackingNumber');
  const best = candidates[0]?.score ?? 0;
  if (reading.recipientName && (low || best < CLEAR_MATCH)) review.add('recipientName');
  if (reading.sender && low) review.add('sender');
  return {
    carrier,
    trackingNumber: tracking.trackingNumber,
    recipientName: reading.recipientName,
    sender: reading.sender,
    confidence: reading.confidence,
    review: LABEL_FIELDS.filter((f) => review.has(f)),
    trackingCheck: tracking.check,
    candidates: candidates.slice(0, LABEL_CANDIDATES),
  };
}

// --- recipient matching ---------------------------------------------------------------------------

const uuid = z
  .string()
  .uuid()
  .transform((s) => s.toLowerCase());

/** The body of POST /api/ai/match: the name on the label and the device's close candidates. */
export const aiMatchInput = z.strictObject({
  name: z.string().trim().min(1).max(LABEL_FIELD_MAX.recipientName),
  candidateIds: z
    .array(uuid)
    .min(1)
    .max(MATCH_MAX_CANDIDATES)
    .transform((ids) => [...new Set(ids)]),
});
export type AiMatchInput = z.output<typeof aiMatchInput>;

/** The opaque ids candidates carry to Claude ("c1".."c10"): never a uuid, email or phone. */
export const opaqueId = (i: number) => `c${i + 1}`;
const OPAQUE = /^c([1-9]|10)$/;

/** The input of Claude's `pick_recipient` tool call. */
export const matchReading = z.strictObject({
  candidate: z.string().regex(OPAQUE).nullable(),
  confidence,
});
export type MatchReading = z.infer<typeof matchReading>;

export const MATCH_TOOL_SCHEMA = {
  type: 'object',
  properties: {
    candidate: {
      type: ['string', 'null'],
      pattern: '^c([1-9]|10)$',
      description: 'The id of the candidate who is the person named on the label, or null when none is',
    },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
  },
  required: ['candidate', 'confidence'],
  additionalProperties: false,
} as const;

/** The answer of POST /api/ai/match. */
export const aiMatchAnswer = z.strictObject({
  recipientId: z.string().uuid().nullable().describe('One of the candidates sent, or null when none is the person'),
  confidence,
});
export type AiMatchAnswer = z.infer<typeof aiMatchAnswer>;

/** Maps a validated pick back to a candidate's id; an opaque id that was not offered is no match. */
export function matchAnswer(reading: MatchReading, candidateIds: readonly string[]): AiMatchAnswer {
  if (!reading.candidate) return { recipientId: null, confidence: reading.confidence };
  const index = Number(reading.candidate.slice(1)) - 1;
  const id = candidateIds[index];
  return id ? { recipientId: id, confidence: reading.confidence } : { recipientId: null, confidence: 0 };
}

// --- natural-language search ----------------------------------------------------------------------

const filterShape = {
  status: z.enum(STATUS_TABS).optional(),
  carrier: z.string().trim().min(1).max(40).optional(),
  recipientName: z.string().trim().min(1).max(LABEL_FIELD_MAX.recipientName).optional(),
  departmentName: z.string().trim().min(1).max(120).optional(),
  from: day.optional().describe("First date of receipt, in the facility's time zone"),
  to: day.optional().describe("Last date of receipt (inclusive), in the facility's time zone"),
  text: z.string().trim().min(1).max(MAX_Q).optional().describe('Words to find in the tracking number, recipient, sender or notes'),
};
const datesInOrder = (v: { from?: string; to?: string }) => !v.from || !v.to || v.from <= v.to;

/**
 * The structured filter a question becomes: the model's `search_packages` tool input and the local
 * search syntax's result alike. Strict: a field that does not exist (an id, a facility, SQL) is refused.
 */
export const searchFilter = z.strictObject(filterShape).refine(datesInOrder, { message: 'from must not be after to', path: ['to'] });
export type SearchFilter = z.output<typeof searchFilter>;

export const SEARCH_TOOL_SCHEMA = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: [...STATUS_TABS], description: 'received (waiting), held, delivered, returned, or all' },
    carrier: { type: 'string', maxLength: 40, description: 'A carrier name: UPS, USPS, FedEx, DHL, Amazon, OnTrac, LaserShip' },
    recipientName: { type: 'string', maxLength: LABEL_FIELD_MAX.recipientName, description: 'The person the packages are for' },
    departmentName: { type: 'string', maxLength: 120, description: "The recipient's department" },
    from: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'First date of receipt, YYYY-MM-DD' },
    to: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Last date of receipt (inclusive), YYYY-MM-DD' },
    text: { type: 'string', maxLength: MAX_Q, description: 'Other words to look for (tracking number digits, sender, notes)' },
  },
  additionalProperties: false,
} as const;

/** The body of POST /api/ai/search. */
export const aiSearchInput = z.strictObject({ q: z.string().trim().min(1).max(SEARCH_Q_MAX) });

/** The filter as the server applied it: names found in this facility's directory carry their ids. */
export const appliedSearchFilter = z
  .strictObject({
    ...filterShape,
    carrier: z.string().optional().describe('A carrier id of carriers.ts'),
    recipientId: z.string().uuid().optional().describe('The recipient recipientName was found as, in this facility'),
    departmentId: z.string().uuid().optional().describe('The department departmentName was found as, in this facility'),
  })
  .refine(datesInOrder, { message: 'from must not be after to', path: ['to'] });
export type AppliedSearchFilter = z.output<typeof appliedSearchFilter>;

/** The answer of POST /api/ai/search: the filter (shown as chips) and the first page of its packages. */
export const aiSearchAnswer = z.strictObject({
  filter: appliedSearchFilter,
  items: z.array(packageListItem),
  nextCursor: z.string().nullable().describe('Continue with GET /api/packages and listQueryOf(filter) plus this cursor'),
});
export type AiSearchAnswer = z.infer<typeof aiSearchAnswer>;

/**
 * The GET /api/packages query of a filter (the same list, so chips edited on the desk and further
 * pages go through the normal route). A recipient name not found in the directory is searched as
 * words (the list's search matches recipient names); null when the filter names a department this
 * facility does not have: nothing can match.
 */
export function listQueryOf(
  filter: AppliedSearchFilter,
): Record<'status' | 'q' | 'carrier' | 'recipientId' | 'departmentId' | 'from' | 'to', string | undefined> | null {
  if (filter.departmentName && !filter.departmentId) return null;
  const words = [filter.text, filter.recipientId ? undefined : filter.recipientName].filter(Boolean).join(' ').slice(0, MAX_Q).trim();
  return {
    status: filter.status,
    q: words || undefined,
    carrier: filter.carrier,
    recipientId: filter.recipientId,
    departmentId: filter.departmentId,
    from: filter.from,
    to: filter.to,
  };
}

// --- availability ---------------------------------------------------------------------------------

/** Whether the AI path can be tried: a key is configured and the facility has AI on. */
export const aiStatus = z.strictObject({
  enabled: z.boolean().describe('A key is configured and the facility has AI switched on; false: use the local paths'),
});
export type AiStatus = z.infer<typeof aiStatus>;

/** Days the log of calls to Claude (their shape, never their content) is kept for audit. */
export const AI_LOG_DAYS = 90;

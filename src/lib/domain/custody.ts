// The custody log (SPEC "Packages": every change appends to an activity log kept per facility).
// Each event of a package is linked to the one before it: the server gives it its place in the
// package's chain (`seq` 1, 2, …) and stores the SHA-256 of its canonical content, which includes
// the previous event's hash. Editing, removing or reordering a sealed event breaks the chain, and
// `verifyChain` says where. Pure code: the browser, the service worker and the server hash alike.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { AttachmentRow, PackageEventRow } from './sync/rows';
import { boundDeviceTime } from './sync/device-time';

/** What an event's hash covers. Times may be ISO strings or Dates; they are hashed as UTC ISO. */
export interface CustodyContent {
  id: string;
  facilityId: string;
  packageId: string;
  seq: number;
  type: string;
  data: unknown;
  actorId: string | null;
  clientId: string | null;
  mutationId: number | null;
  at: string | Date;
  recordedAt: string | Date;
}

/** The chain fields the server stores next to an event. */
export interface ChainLink {
  seq: number;
  hash: string;
  prevHash: string | null;
}

/** An event as stored: sealed (seq and hash set) or recorded before the chain (both null). */
export type StoredCustodyEvent = Omit<CustodyContent, 'seq'> & {
  seq: number | null;
  hash: string | null;
  prevHash: string | null;
  /** The sync version it was written with; orders events recorded before the chain. */
  version?: number;
};

/** The version of the canonical form; part of the hashed content so the form can change one day. */
const CANONICAL_FORM = 1;

/** `x` as an ISO instant in UTC with milliseconds (the precision the database keeps). */
export function utcIso(x: string | Date): string {
  const d = x instanceof Date ? x : new Date(x);
  if (Number.isNaN(d.getTime())) throw new Error(`not a time: ${String(x)}`);
  return d.toISOString();
}

/**
 * JSON with object keys sorted (by UTF-16 code units, at every depth), no whitespace, undefined
 * members left out, Dates as UTC ISO strings and non-finite numbers as null: one text per value,
 * whatever order or spacing it was stored or parsed with.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(utcIso(value));
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return value.toString();
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
    }
    default:
      return 'null';
  }
}

const lowerOrNull = (s: string | null | undefined) => (s == null ? null : s.toLowerCase());

/** The canonical text of an event and the hash it follows: what `eventHash` digests. */
export function canonicalEvent(e: CustodyContent, prevHash: string | null): string {
  return canonicalJson({
    form: CANONICAL_FORM,
    id: e.id.toLowerCase(),
    facilityId: e.facilityId.toLowerCase(),
    packageId: e.packageId.toLowerCase(),
    seq: e.seq,
    type: e.type,
    data: e.data ?? {},
    actorId: lowerOrNull(e.actorId),
    clientId: lowerOrNull(e.clientId),
    mutationId: e.mutationId ?? null,
    at: utcIso(e.at),
    recordedAt: utcIso(e.recordedAt),
    prevHash: prevHash || null,
  });
}

/** SHA-256 (lowercase hex) of the event's canonical content chained to `prevHash`. */
export function eventHash(e: CustodyContent, prevHash: string | null): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(canonicalEvent(e, prevHash))));
}

/**
 * Seals new events of one facility in the order given: each takes the next `seq` of its package
 * after `heads` (the last sealed event of each package already stored) and the previous hash.
 * Times come back as UTC ISO with milliseconds, exactly as hashed and as the database keeps them.
 */
export function sealEvents<E extends PackageEventRow>(
  facilityId: string,
  events: readonly E[],
  heads: ReadonlyMap<string, { seq: number; hash: string }>,
): (E & ChainLink)[] {
  const last = new Map(heads);
  return events.map((e) => {
    const head = last.get(e.packageId);
    const seq = (head?.seq ?? 0) + 1;
    const prevHash = head?.hash ?? null;
    const row = { ...e, at: utcIso(e.at), recordedAt: utcIso(e.recordedAt) };
    const hash = eventHash({ ...row, facilityId, seq }, prevHash);
    last.set(e.packageId, { seq, hash });
    return { ...row, seq, hash, prevHash };
  });
}

export interface ChainVerdict {
  /** True when the sealed events form one unbroken chain 1…n and nothing sits outside it. */
  verified: boolean;
  /** The place (seq) where the chain first fails. */
  brokenAt?: number;
  /** Why, in plain words. */
  reason?: string;
  /** Events recorded before the custody log began (no seq or hash); shown, not verifiable. */
  unsealed: number;
}

/**
 * Recomputes a package's chain. Sealed events are taken in `seq` order; each must sit at the next
 * place, name the previous event's hash, and hash to what is stored. Events recorded before the
 * chain existed (no seq and no hash) are allowed only before the first sealed one (by version): an
 * event without a link written after the chain began means one was stripped.
 */
export function verifyChain(events: readonly StoredCustodyEvent[]): ChainVerdict {
  const unsealed = events.filter((e) => e.seq == null && e.hash == null);
  const half = events.find((e) => (e.seq == null) !== (e.hash == null));
  const sealed = events.filter((e) => e.seq != null && e.hash != null).sort((a, b) => a.seq! - b.seq!);
  const broken = (brokenAt: number, reason: string): ChainVerdict => ({ verified: false, brokenAt, reason, unsealed: unsealed.length });

  if (half) return broken(half.seq ?? 1, 'an event has only half of its chain link');
  let prev: string | null = null;
  for (let i = 0; i < sealed.length; i++) {
    const e = sealed[i]!;
    const place = i + 1;
    if (e.seq !== place) return broken(place, e.seq! < place ? 'two events claim the same place' : 'an event is missing');
    if ((e.prevHash || null) !== prev) return broken(place, 'the link to the previous event does not match');
    if (eventHash({ ...e, seq: e.seq }, prev) !== e.hash) return broken(place, 'the event was changed after it was recorded');
    prev = e.hash;
  }
  const firstVersion = sealed.reduce((m, e) => Math.min(m, e.version ?? Infinity), Infinity);
  const late = unsealed.find((e) => e.version != null && e.version >= firstVersion);
  if (late) {
    const place = sealed.filter((e) => (e.version ?? 0) <= late.version!).length + 1;
    return broken(place, 'an event recorded after the custody log began has no link');
  }
  return { verified: true, unsealed: unsealed.length };
}

// ---------------------------------------------------------------------------------------------
// A refused hand-off keeps its evidence

/** Mutations that record a physical hand-off. */
export const HANDOFF_MUTATIONS = ['package.deliver', 'package.deliver.v2'] as const;
/**
 * Refusals that leave a hand-off on record: the person got the package, but another device had
 * already closed it (delivered or returned). Other refusals (forbidden, invalid arguments, a missing
 * signature, an unknown package) mean no valid hand-off took place, so there is nothing to keep.
 */
export const EVIDENCE_CODES = ['invalid_transition', 'already_in_state'] as const;

/** The event type of a hand-off the server refused but kept. */
export const HANDOFF_REFUSED = 'handoff_refused';

interface HandOffArgs {
  id: string;
  deliveredTo: string;
  at: string;
  proxyReason?: string | null;
  signatureHash?: string | null;
  photoHash?: string | null;
}

export interface EvidenceContext {
  actorId: string;
  clientId: string;
  mutationId: number;
  now: string;
  newId: () => string;
}

/**
 * What a refused hand-off leaves on its package: a `handoff_refused` event with the proof and the
 * refusal, and the signature and photo as attachments (so their blobs stay, and an admin can reopen
 * the package and record the delivery). Null when the refusal keeps nothing.
 */
export function refusedHandOffEvidence(
  mutation: { name: string; args: unknown },
  refusal: { code: string; message: string },
  ctx: EvidenceContext,
): { event: PackageEventRow; attachments: Omit<AttachmentRow, 'uploaded'>[] } | null {
  if (!(HANDOFF_MUTATIONS as readonly string[]).includes(mutation.name)) return null;
  if (!(EVIDENCE_CODES as readonly string[]).includes(refusal.code)) return null;
  const a = mutation.args as HandOffArgs;
  const packageId = a.id.toLowerCase();
  const data: Record<string, unknown> = {
    deliveredTo: a.deliveredTo,
    at: a.at,
    code: refusal.code,
    message: refusal.message,
    ...(a.proxyReason ? { proxyReason: a.proxyReason } : {}),
    ...(a.signatureHash ? { signatureHash: a.signatureHash } : {}),
    ...(a.photoHash ? { photoHash: a.photoHash } : {}),
  };
  const attachment = (hash: string, kind: AttachmentRow['kind']) => ({
    id: ctx.newId(),
    packageId,
    hash,
    kind,
    version: 0,
    deletedAt: null,
  });
  return {
    event: {
      id: ctx.newId(),
      packageId,
      type: HANDOFF_REFUSED,
      data,
      actorId: ctx.actorId,
      clientId: ctx.clientId,
      mutationId: ctx.mutationId,
      at: boundDeviceTime(a.at, ctx.now),
      recordedAt: ctx.now,
      version: 0,
      deletedAt: null,
    },
    attachments: [
      ...(a.signatureHash ? [attachment(a.signatureHash, 'signature')] : []),
      ...(a.photoHash ? [attachment(a.photoHash, 'delivery')] : []),
    ],
  };
}

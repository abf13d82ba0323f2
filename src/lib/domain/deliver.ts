// The Deliver screen's rules (SPEC "Packages"): a courier finds a recipient's open packages (received
// or held) by name — typos forgiven —, department, location or route, tracking number or its last
// digits, and hands several over with one proof. Pure: the screen runs it over the device's rows,
// offline; the proof it checks is the same checkProof the mutators apply on the device and server.
import { cleanTrackingNumber } from './carriers';
import { checkProof, HOLD_REASONS, PROXY_REASONS, holdText, type HandOffSettings, type HoldReason, type ProxyReason } from './handoff';
import { foldText } from './package-search';
import { RecipientIndex } from './recipient-search';
import type { MutationInput } from './sync/mutations';
import type { DepartmentRow, LocationRow, PackageRow, RecipientRow } from './sync/rows';

/** The package columns the Deliver screen shows and checks. */
export type OpenPackage = Pick<
  PackageRow,
  | 'id'
  | 'trackingNumber'
  | 'carrier'
  | 'recipientId'
  | 'recipientName'
  | 'status'
  | 'locationId'
  | 'shelf'
  | 'perishable'
  | 'needsSignature'
  | 'receivedAt'
  | 'heldAt'
  | 'holdReason'
  | 'holdNote'
>;

/** One recipient's open packages: a row of the results, then the hand-off screen. */
export interface RecipientGroup {
  /** The recipient's id, or `name:<folded name>` for packages logged to a typed name only. */
  key: string;
  recipientId: string | null;
  name: string;
  department: string | null;
  /** Where the recipient is (their default location), else where their packages are. */
  location: string | null;
  /** Oldest first. */
  packages: OpenPackage[];
  oldestAt: string;
  held: number;
}

export const isOpen = (p: Pick<PackageRow, 'status' | 'deletedAt'>) => !p.deletedAt && (p.status === 'received' || p.status === 'held');

const groupKey = (p: Pick<PackageRow, 'recipientId' | 'recipientName'>) =>
  p.recipientId ?? `name:${foldText(p.recipientName).replace(/\s+/g, ' ').trim()}`;

/** Open packages grouped by recipient, groups ordered by location then name (the order of a round). */
export function groupOpenPackages(
  packages: Iterable<OpenPackage & Pick<PackageRow, 'deletedAt'>>,
  recipients: Iterable<RecipientRow>,
  departments: Iterable<DepartmentRow>,
  locations: Iterable<LocationRow>,
): RecipientGroup[] {
  const people = new Map([...recipients].filter((r) => !r.deletedAt).map((r) => [r.id, r]));
  const departmentNames = new Map([...departments].filter((d) => !d.deletedAt).map((d) => [d.id, d.name]));
  const places = new Map([...locations].filter((l) => !l.deletedAt).map((l) => [l.id, l]));
  const groups = new Map<string, RecipientGroup>();
  for (const p of packages) {
    if (!isOpen(p)) continue;
    const key = groupKey(p);
    let g = groups.get(key);
    if (!g) {
      const r = p.recipientId ? people.get(p.recipientId) : undefined;
      g = {
        key,
        recipientId: p.recipientId ?? null,
        name: r?.name ?? p.recipientName,
        department: (r?.departmentId && departmentNames.get(r.departmentId)) || null,
        location: (r?.defaultLocationId && locationName(places.get(r.defaultLocationId))) || null,
        packages: [],
        oldestAt: p.receivedAt,
        held: 0,
      };
      groups.set(key, g);
    }
    g.packages.push(p);
    if (p.status === 'held') g.held++;
    if (p.receivedAt < g.oldestAt) g.oldestAt = p.receivedAt;
  }
  for (const g of groups.values()) {
    g.packages.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.trackingNumber.localeCompare(b.trackingNumber));
    g.location ??= g.packages.map((p) => (p.locationId ? locationName(places.get(p.locationId)) : null)).find((n) => !!n) ?? null;
  }
  return [...groups.values()].sort(
    (a, b) => (a.location ?? '\uffff').localeCompare(b.location ?? '\uffff') || a.name.localeCompare(b.name) || a.key.localeCompare(b.key),
  );
}

function locationName(l: LocationRow | undefined): string | null {
  if (!l) return null;
  const where = [l.building, l.floor ? `floor ${l.floor}` : null].filter(Boolean).join(', ');
  return where ? `${l.name} (${where})` : l.name;
}

export interface GroupHit {
  group: RecipientGroup;
  by: 'tracking' | 'recipient' | 'location';
  /** The packages the query named (by tracking number); empty when it named the recipient. */
  packageIds: string[];
}

/** Digits or letters at the end of a tracking number worth matching alone ("the last four"). */
const MIN_SUFFIX = 3;

/**
 * Searching the open packages. Ranks: a whole tracking number; the last digits of one; the
 * recipient by name, email, employee id or department (recipient-search.ts: prefixes and typos);
 * every word found in the location, route or shelf; a part of a tracking number.
 */
export class DeliverIndex {
  private readonly people: RecipientIndex;
  private readonly byKey: Map<string, RecipientGroup>;
  private readonly places: Map<string, string>;

  constructor(
    readonly groups: RecipientGroup[],
    recipients: Iterable<RecipientRow> = [],
    departments: Iterable<DepartmentRow> = [],
    locations: Iterable<LocationRow> = [],
  ) {
    this.byKey = new Map(groups.map((g) => [g.key, g]));
    const real = new Map([...recipients].map((r) => [r.id, r]));
    // The name index holds the recipients with open packages (a package logged to a typed name is
    // a recipient of its own, keyed by that name), so a hit is a group.
    this.people = new RecipientIndex(
      groups.map((g) => {
        const r = g.recipientId ? real.get(g.recipientId) : undefined;
        return {
          id: g.key,
          name: g.name,
          email: r?.email ?? null,
          phone: null,
          employeeId: r?.employeeId ?? null,
          departmentId: r?.departmentId ?? null,
          defaultLocationId: null,
          notes: null,
          notifyEmail: false,
          notifySms: false,
          version: 0,
          deletedAt: null,
        };
      }),
      departments,
    );
    const locationText = new Map([...locations].map((l) => [l.id, foldText([l.name, l.building, l.floor].filter(Boolean).join(' '))]));
    this.places = new Map(
      groups.map((g) => [
        g.key,
        foldText(
          [
            g.location ?? '',
            ...g.packages.map((p) => `${p.shelf ?? ''} ${p.locationId ? (locationText.get(p.locationId) ?? '') : ''}`),
          ].join(' '),
        ),
      ]),
    );
  }

  group(key: string): RecipientGroup | undefined {
    return this.byKey.get(key);
  }

  /** The group holding this package, when it is open. */
  groupOfPackage(packageId: string): RecipientGroup | undefined {
    return this.groups.find((g) => g.packages.some((p) => p.id === packageId));
  }

  /** Open packages whose tracking number is exactly this (a scanned or typed label). */
  byTracking(code: string): { group: RecipientGroup; pkg: OpenPackage }[] {
    const wanted = cleanTrackingNumber(code);
    if (!wanted) return [];
    const out: { group: RecipientGroup; pkg: OpenPackage }[] = [];
    for (const g of this.groups)
      for (const p of g.packages) if (cleanTrackingNumber(p.trackingNumber) === wanted) out.push({ group: g, pkg: p });
    return out;
  }

  search(query: string, limit = 30): GroupHit[] {
    const q = query.trim().slice(0, 100);
    if (!q) return this.groups.slice(0, limit).map((group) => ({ group, by: 'recipient', packageIds: [] }));
    const hits: GroupHit[] = [];
    const seen = new Set<string>();
    const push = (group: RecipientGroup | undefined, by: GroupHit['by'], packageIds: string[] = []) => {
      if (!group || seen.has(group.key) || hits.length >= limit) return;
      seen.add(group.key);
      hits.push({ group, by, packageIds });
    };
    const code = cleanTrackingNumber(q);
    const trackingLike = code.length >= MIN_SUFFIX && /\d/.test(code);
    const tracked = (test: (t: string) => boolean) => {
      for (const g of this.groups) {
        const ids = g.packages.filter((p) => test(cleanTrackingNumber(p.trackingNumber))).map((p) => p.id);
        if (ids.length) push(g, 'tracking', ids);
      }
    };
    if (trackingLike) {
      tracked((t) => t === code);
      tracked((t) => t.endsWith(code));
    }
    for (const m of this.people.search(q, limit)) push(this.byKey.get(m.recipient.id), 'recipient');
    const terms = foldText(q).split(/\s+/).filter(Boolean);
    for (const g of this.groups) {
      const text = this.places.get(g.key) ?? '';
      if (terms.every((t) => text.includes(t))) push(g, 'location');
    }
    if (trackingLike) tracked((t) => t.includes(code));
    return hits;
  }
}

// ---- how a package reads on a phone ---------------------------------------------------------------

/** A tracking number split so its last digits (what people read out) can be emphasised. */
export function splitTracking(trackingNumber: string, tail = 4): [head: string, last: string] {
  const t = trackingNumber.trim();
  return t.length <= tail ? ['', t] : [t.slice(0, -tail), t.slice(-tail)];
}

/** How long a package has waited, in the largest whole unit: "12 min", "5 h", "3 d". */
export function ageText(since: string, now: number = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(since)) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

/** Why a held package is held, in words. */
export function heldText(p: Pick<PackageRow, 'holdReason' | 'holdNote'>): string {
  if (p.holdReason && p.holdReason in HOLD_REASONS)
    return holdText(p.holdReason as HoldReason, null) + (p.holdNote ? ` — ${p.holdNote}` : '');
  return p.holdNote || 'Held';
}

// ---- the proof ------------------------------------------------------------------------------------

export interface ProofDraft {
  /** Handed to the recipient, or to someone else (a proxy pickup). */
  to: 'recipient' | 'someone';
  otherName: string;
  proxyReason: ProxyReason | null;
  /** Words for "Other" (required then), or a detail for a listed reason. */
  proxyNote: string;
  /** A signature was drawn. */
  signed: boolean;
}

export const emptyProof = (): ProofDraft => ({ to: 'recipient', otherName: '', proxyReason: null, proxyNote: '', signed: false });

/** A proxy pickup's reason as it is recorded: the listed reason (with its detail) or the words for "Other". */
export function proxyText(reason: ProxyReason | null, note: string): string | null {
  const n = note.trim();
  if (!reason) return null;
  if (reason === 'other') return n || null;
  return n ? `${PROXY_REASONS[reason]}: ${n}` : PROXY_REASONS[reason];
}

const deliveredToOf = (p: Pick<PackageRow, 'recipientName'>, d: ProofDraft) =>
  d.to === 'recipient' ? p.recipientName : d.otherName.trim();

/**
 * Why "Confirm" cannot be pressed yet, in words, or null when every selected package may go: the
 * same checkProof the device and the server apply to each `package.deliver.v2`.
 */
export function proofBlocker(
  selected: readonly Pick<PackageRow, 'recipientName' | 'needsSignature'>[],
  draft: ProofDraft,
  settings: HandOffSettings,
): string | null {
  if (!selected.length) return 'Select at least one package';
  if (draft.to === 'someone' && !draft.otherName.trim()) return 'Say who is collecting the packages';
  if (draft.to === 'someone' && draft.proxyReason === 'other' && !draft.proxyNote.trim()) return 'Say why someone else is collecting them';
  const proxyReason = proxyText(draft.proxyReason, draft.proxyNote);
  let unsigned = 0;
  let first: string | null = null;
  for (const p of selected) {
    const check = checkProof(
      p,
      { deliveredTo: deliveredToOf(p, draft), proxyReason, signatureHash: draft.signed ? 'signed' : null },
      settings,
    );
    if (check.ok) continue;
    if (check.code === 'signature_required') unsigned++;
    first ??= check.code === 'proxy_reason_required' ? 'Choose why someone else is collecting them (proxy pickup)' : check.message;
  }
  if (unsigned && !settings.signatureRequired) {
    return unsigned === 1 && selected.length === 1
      ? 'This package needs a signature: ask the recipient to sign'
      : `${unsigned} of ${selected.length} packages need a signature: ask the recipient to sign`;
  }
  if (unsigned) return 'A signature is needed for every hand-off here: ask the recipient to sign';
  return first;
}

/** One `package.deliver.v2` per package, all with the same proof. */
export function deliverSteps(
  selected: readonly Pick<PackageRow, 'id' | 'recipientName'>[],
  draft: ProofDraft,
  proof: { signatureHash: string | null; photoHash: string | null; at: string },
): MutationInput<'package.deliver.v2'>[] {
  const proxyReason = draft.to === 'someone' ? proxyText(draft.proxyReason, draft.proxyNote) : null;
  return selected.map((p) => ({
    id: p.id,
    deliveredTo: deliveredToOf(p, draft),
    proxyReason,
    signatureHash: proof.signatureHash,
    photoHash: proof.photoHash,
    at: proof.at,
  }));
}

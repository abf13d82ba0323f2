// What a person reads about a package's history and about a refused change: plain words for every
// refusal code the mutators and the sync server use, the two versions of a conflict ("You delivered
// this to Ada at 10:03; meanwhile it was returned to sender by Sam at 9:58 (reason: Refused)"), the
// age of a hold, who did something (by name, offline from the device's copy of the member list) and
// which device. Pure: the detail page, Needs attention and the tests share it.
import { HOLD_REASONS, PROXY_REASONS, RETURN_REASONS } from './handoff';
import { ACTIVITY_TYPE_LABELS } from './activity';
import { carrierLabel } from './carriers';
import type { PackageEventRow, PackageRow } from './sync/rows';

/** Every stable refusal code a change can come back with, in words (never the code itself). */
export const REFUSAL_WORDS: Record<string, string> = {
  invalid_transition: 'the package had already moved on, so this change no longer applied',
  already_in_state: 'the package was already in that state',
  not_found: 'the package (or something it points at) no longer exists: it may have been deleted',
  unknown_recipient: 'the recipient is no longer in the directory',
  alreadyExists: 'a package with the same identity was already logged',
  forbidden: 'your role does not allow this change',
  undo_expired: 'it was too late to take it back; only an admin can reopen it now',
  signature_required: 'a signature was needed for this hand-off',
  proxy_reason_required: 'it went to someone other than the recipient without saying why',
  invalid_args: 'some of the details were not valid',
  unknown_mutation: 'this version of the app sent a change the server does not know; update the app',
};

/** A refusal in words; an unknown code falls back to the server's own message, never to the code. */
export function refusalWords(code: string, message?: string | null): string {
  return REFUSAL_WORDS[code] ?? (message?.trim() || 'the server could not apply it');
}

export type NameOf = (userId: string | null | undefined) => string;

/**
 * Who someone is, by name from the facility's member list ("Ada (you)" for the person using the
 * device, "you" before the list arrived), "a former member" for anyone no longer on it.
 */
export function nameResolver(me: string | null, members: Record<string, string>): NameOf {
  return (userId) => {
    if (!userId) return 'the system';
    if (userId === me) return members[userId] ? `${members[userId]} (you)` : 'you';
    return members[userId] ?? 'a former member';
  };
}

/** A short, stable label for a device, from its clientId: "device 3f9a". */
export const deviceLabel = (clientId: string | null | undefined, mine?: string | null): string =>
  !clientId ? 'the server' : clientId === mine ? 'this device' : `device ${clientId.replace(/-/g, '').slice(0, 4)}`;

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** How long a package has been held: "held today", "held 1 day", "held 3 days". */
export function heldAge(heldAt: string, now: Date): string {
  const ms = Math.max(0, now.getTime() - Date.parse(heldAt));
  if (ms < HOUR) return 'held less than an hour';
  if (ms < DAY) {
    const h = Math.floor(ms / HOUR);
    return `held ${h} hour${h === 1 ? '' : 's'}`;
  }
  const d = Math.floor(ms / DAY);
  return `held ${d} day${d === 1 ? '' : 's'}`;
}

/** Held packages oldest hold first (those waiting longest need a look first). */
export function oldestHoldFirst<P extends Pick<PackageRow, 'heldAt' | 'receivedAt'>>(rows: P[]): P[] {
  return [...rows].sort((a, b) => (a.heldAt ?? a.receivedAt).localeCompare(b.heldAt ?? b.receivedAt));
}

const reasonOf = (list: Record<string, string>, code: unknown) => (typeof code === 'string' ? (list[code] ?? code) : null);
export const holdReasonWords = (code: unknown) => reasonOf(HOLD_REASONS, code);
export const returnReasonWords = (code: unknown) => reasonOf(RETURN_REASONS, code);
export const proxyReasonWords = (code: unknown) => reasonOf(PROXY_REASONS, code);

const FIELD_WORDS: Record<string, string> = {
  trackingNumber: 'tracking number',
  carrier: 'carrier',
  recipientId: 'recipient',
  recipientName: 'recipient',
  sender: 'sender',
  locationId: 'location',
  notes: 'notes',
  shelf: 'shelf',
  perishable: 'perishable',
  needsSignature: 'needs signature',
};

/** One timeline entry's headline: "Updated by Ada", "Delivered by you", "Returned by a former member". */
export function eventHeadline(e: Pick<PackageEventRow, 'type' | 'actorId'>, nameOf: NameOf): string {
  const verb: Record<string, string> = { ...ACTIVITY_TYPE_LABELS, handoff_refused: 'Refused hand-off kept as evidence' };
  return `${verb[e.type] ?? e.type.replace(/_/g, ' ')} by ${nameOf(e.actorId)}`;
}

/** The details of one timeline entry in words. */
export function eventDetails(e: Pick<PackageEventRow, 'type' | 'data'>): string {
  const d = e.data ?? {};
  const parts: string[] = [];
  const str = (k: string) => (typeof d[k] === 'string' && (d[k] as string).trim() ? (d[k] as string) : null);
  switch (e.type) {
    case 'updated': {
      const fields = [
        ...new Set(
          Object.keys(d)
            .map((k) => FIELD_WORDS[k])
            .filter(Boolean),
        ),
      ];
      if (fields.length) parts.push(`changed ${fields.join(', ')}`);
      break;
    }
    case 'held':
      if (str('note')) parts.push(`“${str('note')}”`);
      break;
    case 'delivered':
      if (str('deliveredTo')) parts.push(`to ${str('deliveredTo')}`);
      if (str('proxyReason')) parts.push(`proxy pickup: ${proxyReasonWords(d.proxyReason)}`);
      if (str('signatureHash')) parts.push('signed');
      if (str('photoHash')) parts.push('with a photo');
      break;
    case 'returned':
      if (str('note')) parts.push(`“${str('note')}”`);
      if (str('carrier')) parts.push(`via ${carrierLabel(str('carrier')!)}`);
      break;
    case 'reopened':
      if (str('reason')) parts.push(`“${str('reason')}”`);
      if (str('from')) parts.push(`was ${str('from')}`);
      break;
    case 'photo_attached':
      if (str('kind')) parts.push(str('kind') === 'intake' ? 'intake photo' : 'delivery photo');
      break;
    default:
      if (str('note')) parts.push(`“${str('note')}”`);
  }
  return parts.join(' · ');
}

/** A refused change as the device recorded it. */
export interface RefusedChange {
  name: string;
  args: unknown;
  code: string;
  message: string;
  at: string;
}

/** What happened to the package meanwhile: the device's copy after the pull (the server's truth). */
export interface OtherVersion {
  package: Pick<
    PackageRow,
    | 'status'
    | 'trackingNumber'
    | 'deliveredTo'
    | 'deliveredAt'
    | 'deliveredById'
    | 'returnedAt'
    | 'returnedById'
    | 'returnReason'
    | 'returnNote'
    | 'heldAt'
    | 'holdNote'
    | 'deletedAt'
  > | null;
  /** Who held it (from the newest `held` event), when it is held. */
  heldById?: string | null;
}

export interface ConflictWords {
  /** "Deliver package 1Z…" */
  title: string;
  /** "You delivered this to Ada at 10:03" */
  mine: string;
  /** "it was returned to sender by Sam at 9:58 (reason: Refused by recipient)", or null when unknown. */
  theirs: string | null;
  /** Why the server refused it, in words. */
  why: string;
  /** The whole story in one sentence. */
  sentence: string;
}

const TITLE: Record<string, string> = {
  'package.receive': 'Receive package',
  'package.receive.v2': 'Receive package',
  'package.undoReceive': 'Undo logging a package',
  'package.update': 'Edit package',
  'package.update.v2': 'Edit package',
  'package.hold': 'Hold package',
  'package.hold.v2': 'Hold package',
  'package.deliver': 'Deliver package',
  'package.deliver.v2': 'Deliver package',
  'package.return': 'Return package',
  'package.return.v2': 'Return package',
  'package.reopen': 'Reopen package',
  'package.attachPhoto': 'Attach photo',
  'package.delete': 'Delete package',
  'recipient.upsert': 'Save recipient',
  'recipient.delete': 'Delete recipient',
  'recipient.merge': 'Merge recipients',
  'department.upsert': 'Save department',
  'department.delete': 'Delete department',
  'location.upsert': 'Save location',
  'location.delete': 'Delete location',
};

export const changeTitle = (name: string) => TITLE[name] ?? 'Change';

export const isHandOff = (name: string) => name === 'package.deliver' || name === 'package.deliver.v2';

/** "You delivered this to Ada at 10:03": what the person did, from the refused change's arguments. */
export function describeMine(r: Pick<RefusedChange, 'name' | 'args' | 'at'>, time: (iso: string) => string): string {
  const a = (r.args ?? {}) as Record<string, unknown>;
  const s = (k: string) => (typeof a[k] === 'string' ? (a[k] as string) : null);
  const at = ` at ${time(s('at') ?? r.at)}`;
  switch (r.name) {
    case 'package.deliver':
    case 'package.deliver.v2':
      return `You delivered this to ${s('deliveredTo') ?? 'someone'}${at}`;
    case 'package.return':
    case 'package.return.v2':
      return `You returned this to sender${at}${s('reason') ? ` (reason: ${returnReasonWords(a.reason)})` : ''}`;
    case 'package.hold':
    case 'package.hold.v2':
      return `You put this on hold${at}${s('reason') ? ` (reason: ${holdReasonWords(a.reason)})` : s('note') ? ` (“${s('note')}”)` : ''}`;
    case 'package.update':
    case 'package.update.v2':
      return `You edited this package${at}`;
    case 'package.reopen':
      return `You reopened this package${at}`;
    case 'package.delete':
      return `You deleted this package${at}`;
    case 'package.attachPhoto':
      return `You attached a photo${at}`;
    case 'package.receive':
    case 'package.receive.v2':
      return `You logged ${s('trackingNumber') ?? 'a package'} for ${s('recipientName') ?? 'a recipient'}${at}`;
    default:
      return `You made this change${at}`;
  }
}

/** "it was returned to sender by Sam at 9:58 (reason: Refused by recipient)" */
export function describeTheirs(o: OtherVersion, nameOf: NameOf, time: (iso: string) => string): string | null {
  const p = o.package;
  if (!p || p.deletedAt) return 'the package was deleted';
  switch (p.status) {
    case 'delivered':
      return `it was delivered to ${p.deliveredTo ?? 'someone'} by ${nameOf(p.deliveredById)}${p.deliveredAt ? ` at ${time(p.deliveredAt)}` : ''}`;
    case 'returned': {
      const why = returnReasonWords(p.returnReason) ?? (p.returnNote?.trim() || null);
      return `it was returned to sender by ${nameOf(p.returnedById)}${p.returnedAt ? ` at ${time(p.returnedAt)}` : ''}${why ? ` (reason: ${why})` : ''}`;
    }
    case 'held':
      return `it was put on hold${o.heldById !== undefined ? ` by ${nameOf(o.heldById)}` : ''}${p.heldAt ? ` at ${time(p.heldAt)}` : ''}${p.holdNote ? ` (“${p.holdNote}”)` : ''}`;
    default:
      return null;
  }
}

/** Both versions and the reason, in words: what Needs attention shows for a refused change. */
export function explainRefusal(r: RefusedChange, other: OtherVersion, nameOf: NameOf, time: (iso: string) => string): ConflictWords {
  const mine = describeMine(r, time);
  const theirs = r.name.startsWith('package.') ? describeTheirs(other, nameOf, time) : null;
  const why = refusalWords(r.code, r.message);
  const tracking =
    other.package?.trackingNumber ??
    (typeof (r.args as { trackingNumber?: unknown })?.trackingNumber === 'string'
      ? (r.args as { trackingNumber: string }).trackingNumber
      : null);
  const title = `${changeTitle(r.name)}${tracking ? ` ${tracking}` : ''}`;
  const sentence =
    theirs && (r.code === 'invalid_transition' || r.code === 'already_in_state' || r.code === 'not_found')
      ? `${mine}; meanwhile ${theirs}.`
      : `${mine}, but it was not applied: ${why}.`;
  return { title, mine, theirs, why, sentence };
}

export type ConflictAction = 'keep_evidence' | 'reopen_and_deliver' | 'dismiss';

/**
 * What the person can do about a refused change. A refused hand-off is never just thrown away: anyone
 * can keep it as evidence for an admin, and an admin can reopen the package and record the delivery.
 */
export function conflictActions(
  r: Pick<RefusedChange, 'name'>,
  role: string,
  current: { status: string; deletedAt: string | null } | null,
): ConflictAction[] {
  const actions: ConflictAction[] = [];
  if (isHandOff(r.name)) {
    actions.push('keep_evidence');
    if (role === 'admin' && current && !current.deletedAt && (current.status === 'delivered' || current.status === 'returned')) {
      actions.push('reopen_and_deliver');
    }
  }
  actions.push('dismiss');
  return actions;
}

// Hand-off rules (SPEC "Packages"): who a package went to and what proves it, why a package is held
// or returned, and who may take a hand-off back. The device checks them before it queues anything,
// the server re-checks them in the shared mutators, so a phone in a dead zone and the server agree.
import type { PackageRow } from './sync/rows';

export const HOLD_REASONS = {
  id_required: 'Photo ID required',
  recipient_away: 'Recipient away',
  damaged: 'Damaged on arrival',
  oversized: 'Oversized: collect in person',
  security_check: 'Security check',
  payment_due: 'Payment or customs due',
  other: 'Other',
} as const;
export type HoldReason = keyof typeof HOLD_REASONS;

export const RETURN_REASONS = {
  refused: 'Refused by recipient',
  unknown_recipient: 'No such recipient',
  recipient_left: 'Recipient has left',
  unclaimed: 'Not collected in time',
  damaged: 'Damaged',
  wrong_address: 'Wrong address',
  other: 'Other',
} as const;
export type ReturnReason = keyof typeof RETURN_REASONS;

export const PROXY_REASONS = {
  colleague: 'Colleague collecting',
  assistant: 'Assistant or delegate',
  family: 'Family member',
  reception: 'Reception or front desk',
  other: 'Other',
} as const;
export type ProxyReason = keyof typeof PROXY_REASONS;

/** The words a package's hold shows: the reason, and the note when there is one. */
export function holdText(reason: HoldReason, note?: string | null): string {
  const n = note?.trim();
  if (reason === 'other') return n || HOLD_REASONS.other;
  return n ? `${HOLD_REASONS[reason]}: ${n}` : HOLD_REASONS[reason];
}

export function returnText(reason: ReturnReason, note?: string | null): string {
  const n = note?.trim();
  if (reason === 'other') return n || RETURN_REASONS.other;
  return n ? `${RETURN_REASONS[reason]}: ${n}` : RETURN_REASONS[reason];
}

/** Names compare the way people read them: case, spacing and accents aside. */
export const sameName = (a: string, b: string) => normalise(a) === normalise(b);
const normalise = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase('en').replace(/\s+/g, ' ').trim();

/** The facility's hand-off settings a device and the server both apply. */
export interface HandOffSettings {
  /** "Signature required for every hand-off" (on by default). */
  signatureRequired: boolean;
}
export const DEFAULT_HANDOFF_SETTINGS: HandOffSettings = { signatureRequired: true };

export type ProofCheck =
  { ok: true; proxy: boolean } | { ok: false; code: 'signature_required' | 'proxy_reason_required'; message: string };

/**
 * Whether a hand-off carries the proof it needs: a signature when the package or the facility asks
 * for one, and a reason when it went to someone other than the recipient.
 */
export function checkProof(
  p: Pick<PackageRow, 'recipientName' | 'needsSignature'>,
  proof: { deliveredTo: string; proxyReason?: string | null; signatureHash?: string | null },
  settings: HandOffSettings,
): ProofCheck {
  if (!proof.signatureHash && p.needsSignature) {
    return { ok: false, code: 'signature_required', message: 'This package needs a signature to be handed over' };
  }
  if (!proof.signatureHash && settings.signatureRequired) {
    return { ok: false, code: 'signature_required', message: 'This facility asks for a signature at every hand-off' };
  }
  const proxy = !sameName(proof.deliveredTo, p.recipientName);
  if (proxy && !proof.proxyReason?.trim()) {
    return {
      ok: false,
      code: 'proxy_reason_required',
      message: `Handed to ${proof.deliveredTo.trim()} instead of ${p.recipientName}: say why (proxy pickup)`,
    };
  }
  return { ok: true, proxy };
}

/** The device offers to undo a delivery or a return this long; the server accepts it this long. */
export const REOPEN_OFFER_MS = 60_000;
export const REOPEN_ACCEPT_MS = 10 * 60_000;

export type ReopenCheck =
  { ok: true; to: 'received' | 'held' } | { ok: false; code: 'invalid_transition' | 'forbidden' | 'undo_expired'; message: string };

/**
 * Taking back a delivery or a return: an admin at any time (a correction, recorded as a `reopened`
 * event); otherwise only the person who handed it over or returned it, within REOPEN_ACCEPT_MS of
 * the moment the server applied it. The package goes back to held when it had been held.
 */
export function checkReopen(
  p: Pick<PackageRow, 'status' | 'heldAt' | 'deliveredById' | 'returnedById' | 'closedAt'>,
  actor: { id: string; role: string },
  now: string,
): ReopenCheck {
  if (p.status !== 'delivered' && p.status !== 'returned') {
    return { ok: false, code: 'invalid_transition', message: `A ${p.status} package is still open; there is nothing to reopen` };
  }
  const to = p.heldAt ? 'held' : 'received';
  if (actor.role === 'admin') return { ok: true, to };
  const by = p.status === 'delivered' ? p.deliveredById : p.returnedById;
  if (by !== actor.id) {
    return {
      ok: false,
      code: 'forbidden',
      message: `Only an admin, or the person who ${p.status === 'delivered' ? 'delivered' : 'returned'} it, can take it back`,
    };
  }
  const age = p.closedAt ? Date.parse(now) - Date.parse(p.closedAt) : Number.POSITIVE_INFINITY;
  if (!(age <= REOPEN_ACCEPT_MS)) {
    return {
      ok: false,
      code: 'undo_expired',
      message: `Only an admin can reopen a package more than ${REOPEN_ACCEPT_MS / 60_000} minutes after it was closed`,
    };
  }
  return { ok: true, to };
}

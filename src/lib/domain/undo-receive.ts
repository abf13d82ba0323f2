// Undoing a package logged by mistake (rapid mode: "undo of the last package within a minute").
// The device offers it for UNDO_OFFER_MS after saving; the server accepts `package.undoReceive`
// from the person who logged the package, while it is still only received, within
// UNDO_ACCEPT_MS of the moment the server applied the receive — server receipt, not the device's
// clock, so a tablet that was offline for an hour can still undo what it just pushed. The undo is a
// soft delete with an event in the chain of custody, never an erasure.
import type { PackageRow } from './sync/rows';

export const UNDO_OFFER_MS = 60_000;
export const UNDO_ACCEPT_MS = 10 * 60_000;

export type UndoCheck = { ok: true } | { ok: false; code: 'invalid_transition' | 'forbidden' | 'undo_expired'; message: string };

export function checkUndoReceive(p: Pick<PackageRow, 'status' | 'receivedById' | 'loggedAt'>, actorId: string, now: string): UndoCheck {
  if (p.status !== 'received') {
    return {
      ok: false,
      code: 'invalid_transition',
      message: `The package is ${p.status} already; only a package just received can be undone`,
    };
  }
  if (p.receivedById !== actorId) {
    return { ok: false, code: 'forbidden', message: 'Only the person who logged a package can undo it' };
  }
  const age = p.loggedAt ? Date.parse(now) - Date.parse(p.loggedAt) : Number.POSITIVE_INFINITY;
  if (!(age <= UNDO_ACCEPT_MS)) {
    return {
      ok: false,
      code: 'undo_expired',
      message: `A receive can be undone for ${UNDO_ACCEPT_MS / 60_000} minutes after it reached the server`,
    };
  }
  return { ok: true };
}

import { describe, expect, it } from 'vitest';
import { UNDO_ACCEPT_MS, UNDO_OFFER_MS, checkUndoReceive } from './undo-receive';

const loggedAt = '2026-11-29T10:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(loggedAt) + ms).toISOString();
const pkg = { status: 'received' as const, receivedById: 'u1', loggedAt };

describe('checkUndoReceive', () => {
  it('lets the person who logged it undo within the window counted from the receipt', () => {
    expect(checkUndoReceive(pkg, 'u1', at(0))).toEqual({ ok: true });
    expect(checkUndoReceive(pkg, 'u1', at(UNDO_ACCEPT_MS))).toEqual({ ok: true });
    // A device clock a little behind the server's is no reason to refuse.
    expect(checkUndoReceive(pkg, 'u1', at(-30_000))).toEqual({ ok: true });
  });

  it('accepts on the server longer than the device offers (the push may come later)', () => {
    expect(UNDO_ACCEPT_MS).toBeGreaterThan(UNDO_OFFER_MS);
  });

  it('refuses after the window, to someone else, once the package moved on, and without a receipt time', () => {
    expect(checkUndoReceive(pkg, 'u1', at(UNDO_ACCEPT_MS + 1))).toMatchObject({ ok: false, code: 'undo_expired' });
    expect(checkUndoReceive(pkg, 'u2', at(0))).toMatchObject({ ok: false, code: 'forbidden' });
    expect(checkUndoReceive({ ...pkg, status: 'delivered' }, 'u1', at(0))).toMatchObject({ ok: false, code: 'invalid_transition' });
    expect(checkUndoReceive({ ...pkg, loggedAt: null }, 'u1', at(0))).toMatchObject({ ok: false, code: 'undo_expired' });
  });
});

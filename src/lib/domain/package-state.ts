// The package state machine (SPEC "Packages"; sync-protocol.md mutation catalog):
//   received → held → delivered | returned;  received → delivered | returned.
// Delivered and returned are terminal. Releasing a hold is delivering normally.

export const PACKAGE_STATUSES = ['received', 'held', 'delivered', 'returned'] as const;
export type PackageStatus = (typeof PACKAGE_STATUSES)[number];

export type Transition = 'hold' | 'deliver' | 'return';

const TARGET: Record<Transition, PackageStatus> = { hold: 'held', deliver: 'delivered', return: 'returned' };

const ALLOWED: Record<Transition, readonly PackageStatus[]> = {
  hold: ['received'],
  deliver: ['received', 'held'],
  return: ['received', 'held'],
};

export type TransitionCheck =
  { ok: true; to: PackageStatus } | { ok: false; code: 'already_in_state' | 'invalid_transition'; message: string };

export function checkTransition(from: PackageStatus, transition: Transition): TransitionCheck {
  const to = TARGET[transition];
  if (from === to) return { ok: false, code: 'already_in_state', message: `The package is already ${to}` };
  if (!ALLOWED[transition].includes(from)) {
    return { ok: false, code: 'invalid_transition', message: `A ${from} package cannot be ${to}` };
  }
  return { ok: true, to };
}

export const isTerminal = (s: PackageStatus) => s === 'delivered' || s === 'returned';

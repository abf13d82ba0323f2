import { describe, expect, it } from 'vitest';
import { checkTransition, PACKAGE_STATUSES, type PackageStatus, type Transition } from './package-state';

// SPEC "Packages": Received → Held → Delivered; Received → Delivered; Returned (to sender).
const TABLE: [PackageStatus, Transition, string][] = [
  ['received', 'hold', 'held'],
  ['received', 'deliver', 'delivered'],
  ['received', 'return', 'returned'],
  ['held', 'hold', 'already_in_state'],
  ['held', 'deliver', 'delivered'],
  ['held', 'return', 'returned'],
  ['delivered', 'hold', 'invalid_transition'],
  ['delivered', 'deliver', 'already_in_state'],
  ['delivered', 'return', 'invalid_transition'],
  ['returned', 'hold', 'invalid_transition'],
  ['returned', 'deliver', 'invalid_transition'],
  ['returned', 'return', 'already_in_state'],
];

describe('the package state machine', () => {
  it('has a rule for every status × transition', () => {
    expect(TABLE).toHaveLength(PACKAGE_STATUSES.length * 3);
  });
  it.each(TABLE)('%s + %s → %s', (from, transition, outcome) => {
    const r = checkTransition(from, transition);
    expect(r.ok ? r.to : r.code).toBe(outcome);
  });
});

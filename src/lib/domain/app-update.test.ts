import { describe, expect, it } from 'vitest';
import { safeToApplyUpdate } from './app-update';

describe('safeToApplyUpdate', () => {
  it('never while a sync runs', () => {
    expect(safeToApplyUpdate({ trigger: 'hidden', syncing: true, unsavedInput: false })).toBe(false);
    expect(safeToApplyUpdate({ trigger: 'navigation', syncing: true, unsavedInput: false })).toBe(false);
  });

  it('when the page is hidden with nothing typed', () => {
    expect(safeToApplyUpdate({ trigger: 'hidden', syncing: false, unsavedInput: false })).toBe(true);
  });

  it('not when the page is hidden over a form being filled: the person comes back to it', () => {
    expect(safeToApplyUpdate({ trigger: 'hidden', syncing: false, unsavedInput: true })).toBe(false);
  });

  it('on a navigation, which leaves the form anyway', () => {
    expect(safeToApplyUpdate({ trigger: 'navigation', syncing: false, unsavedInput: true })).toBe(true);
    expect(safeToApplyUpdate({ trigger: 'navigation', syncing: false, unsavedInput: false })).toBe(true);
  });
});

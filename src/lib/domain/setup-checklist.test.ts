import { describe, expect, it } from 'vitest';
import { setupSteps, showSetupChecklist } from './setup-checklist';

const empty = { locations: 0, recipients: 0, members: 1, invitations: 0, settingsReviewed: false };
const done = (f: typeof empty) => Object.fromEntries(setupSteps(f).map((s) => [s.id, s.done]));

describe('the setup checklist', () => {
  it('starts with nothing done for a new facility with only its admin', () => {
    expect(done(empty)).toEqual({ locations: false, directory: false, team: false, settings: false });
    expect(showSetupChecklist(setupSteps(empty), { isAdmin: true, dismissed: false })).toBe(true);
  });

  it('ticks each step from the facility’s data', () => {
    expect(done({ ...empty, locations: 1 }).locations).toBe(true);
    expect(done({ ...empty, recipients: 3 }).directory).toBe(true);
    expect(done({ ...empty, invitations: 1 }).team).toBe(true);
    expect(done({ ...empty, members: 2 }).team).toBe(true);
    expect(done({ ...empty, settingsReviewed: true }).settings).toBe(true);
  });

  it('links the directory, its import, the team and the settings', () => {
    const steps = setupSteps(empty);
    expect(steps.map((s) => s.href)).toEqual(['/directory?tab=locations', '/directory', '/team', '/settings']);
    expect(steps[1]!.alt?.href).toBe('/directory/import');
  });

  it('is gone once all is done, when dismissed, and for non-admins', () => {
    const all = setupSteps({ locations: 2, recipients: 5, members: 3, invitations: 0, settingsReviewed: true });
    expect(showSetupChecklist(all, { isAdmin: true, dismissed: false })).toBe(false);
    expect(showSetupChecklist(setupSteps(empty), { isAdmin: true, dismissed: true })).toBe(false);
    expect(showSetupChecklist(setupSteps(empty), { isAdmin: false, dismissed: false })).toBe(false);
  });
});

describe('step labels', () => {
  it('do not repeat the names of the main navigation (links on the home page stay unique)', () => {
    const words = ['home', 'packages', 'needs attention', 'directory', 'team', 'settings', 'organization', 'account', 'receive packages'];
    for (const s of setupSteps(empty)) {
      for (const label of [s.label, s.alt?.label ?? '']) {
        for (const w of words) expect(label.toLowerCase(), label).not.toContain(w);
      }
    }
  });
});

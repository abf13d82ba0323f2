// A new facility's setup checklist (home page, admins): each step ticks itself from what the
// facility already has; the list is gone once every step is done, or when an admin dismisses it.
// Step labels avoid the words of the main navigation ("Settings", "Team", "Directory",
// "Packages"), so a link named like a destination stays unique on the home page.

export interface SetupFacts {
  /** Live locations of the facility (its synced table). */
  locations: number;
  /** Live recipients of the facility (its synced table). */
  recipients: number;
  /** Members of the facility (the admin counts: one member means nobody else yet). */
  members: number;
  /** Open invitations of the facility. */
  invitations: number;
  /** Whether an admin has saved the facility's settings (GET /api/facility settingsReviewedAt). */
  settingsReviewed: boolean;
}

export type SetupStepId = 'locations' | 'directory' | 'team' | 'settings';

export interface SetupStep {
  id: SetupStepId;
  label: string;
  href: string;
  /** A second way to do it (importing the directory from a spreadsheet). */
  alt?: { label: string; href: string };
  done: boolean;
}

export function setupSteps(f: SetupFacts): SetupStep[] {
  return [
    { id: 'locations', label: 'Add shelves and rooms where parcels wait', href: '/directory?tab=locations', done: f.locations > 0 },
    {
      id: 'directory',
      label: 'Add the people you receive mail for',
      href: '/directory',
      alt: { label: 'or import a spreadsheet of them', href: '/directory/import' },
      done: f.recipients > 0,
    },
    { id: 'team', label: 'Invite colleagues', href: '/team', done: f.members > 1 || f.invitations > 0 },
    { id: 'settings', label: 'Check and save time zone, photo retention and reminders', href: '/settings', done: f.settingsReviewed },
  ];
}

/** Whether the checklist shows: for admins, until every step is done or it was dismissed. */
export const showSetupChecklist = (steps: readonly SetupStep[], opts: { isAdmin: boolean; dismissed: boolean }) =>
  opts.isAdmin && !opts.dismissed && steps.some((s) => !s.done);

// When a new version of the app (a waiting service worker) may take over by itself. Taking over
// means a reload, which loses what is on the screen and stops a sync run midway (its push is
// retried, but a reload in the middle of one is a needless risk on poor Wi-Fi): so never while
// syncing, never over a form being filled, and only at a moment the person will not notice — the
// page is hidden (tablet asleep, another tab), or they are leaving the page anyway (a navigation,
// which then loads the new version).

export interface UpdateMoment {
  /** Why we are asking: the page was hidden, or the person navigates within the app. */
  trigger: 'hidden' | 'navigation';
  /** The sync engine is pushing or pulling right now. */
  syncing: boolean;
  /** A field holds something typed, chosen or drawn that is not saved yet. */
  unsavedInput: boolean;
}

export function safeToApplyUpdate(m: UpdateMoment): boolean {
  if (m.syncing) return false;
  // Navigating away leaves the form behind anyway; a hidden page comes back to it.
  return m.trigger === 'navigation' || !m.unsavedInput;
}

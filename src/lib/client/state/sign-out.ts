// Leaving the app, from this device only or everywhere: one path, so both ask before abandoning
// unsynced changes and both forget the session and close the sync engine the same way.
import { goto } from '$app/navigation';
import { forgetLabelQueues } from '../ai/label-queue';
import { api } from '../api';
import { session } from './session.svelte';
import { sync } from './sync-status.svelte';

/** Signs out; false when the person chose to stay because changes have not synced yet. */
export async function signOut(opts: { everywhere?: boolean } = {}): Promise<boolean> {
  const unsynced = (await sync.current?.status.hasUnsyncedChanges()) ?? false;
  if (
    unsynced &&
    !confirm('Some changes on this device have not synced yet. Sign out anyway? They stay on this device and sync when you sign in again.')
  ) {
    return false;
  }
  await (opts.everywhere ? api.logoutEverywhere() : api.logout());
  sync.close();
  session.clear();
  // Label crops queued offline hold names and addresses: they do not outlive the session.
  await forgetLabelQueues().catch(() => {});
  await goto('/login', { replaceState: true });
  return true;
}

// Whether the device tries Claude first (issue 12): the server says so in the facility answer the
// app loads at start (`ai: { enabled }`: a key is configured and the facility has AI on), and the device is
// online. Otherwise every AI screen takes its local path without a failing request first.
import { ApiError } from '../api';
import { session } from '../state/session.svelte';
import { sync } from '../state/sync-status.svelte';

/** The server's word on AI for the active facility (GET /api/facility `ai.enabled`; false until it has said yes). */
export function aiEnabled(): boolean {
  // `?.` twice: a facility answer cached on the device by an older version has no `ai`.
  return session.facility?.ai?.enabled ?? false;
}

/** The device believes it can reach the server. */
export function online(): boolean {
  const status = sync.current?.status;
  if (status) return status.online !== false && status.state !== 'offline';
  return typeof navigator === 'undefined' || navigator.onLine;
}

/** Why the local path was taken after an AI request failed, in words for the screen. */
export function fallbackReason(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'ai_cap_reached') return 'The facility’s AI calls for today are used up';
    if (e.code === 'ai_unavailable') return e.message && !/^The server answered/.test(e.message) ? e.message : 'Claude is not available';
    if (e.code === 'offline') return 'No answer from the server';
    return `Claude’s answer could not be used (${e.code})`;
  }
  return 'Claude could not be reached';
}

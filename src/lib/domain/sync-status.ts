// What the header's sync badge says (sync-protocol.md "Device duties": unsynced changes, pending
// uploads and the last sync time always visible). One rule, so the badge never contradicts itself:
//   - Offline is a normal condition, said once and calmly: "Offline · 3 waiting" — never an error,
//     never "uploading…", whatever the last attempt threw (a fetch that got no answer is offline).
//   - "All synced" only when nothing waits and nothing needs a person.
//   - A state that needs a person or a new app version (signed out, another facility active,
//     read-only, update required) says so; server trouble while online says it is retrying.

export type EngineSyncState =
  'synced' | 'pending' | 'offline' | 'error' | 'facility_mismatch' | 'read_only' | 'update_required' | 'signed_out';

export interface SyncFacts {
  /** The outcome of the engine's last run. */
  engineState: EngineSyncState;
  /** The engine's message for that outcome (shown for states that need a person). */
  engineMessage: string;
  /** navigator.onLine as last reported by the browser. */
  online: boolean;
  syncing: boolean;
  pendingMutations: number;
  pendingUploads: number;
  /** Rejections not yet dismissed ("needs attention"). */
  rejections: number;
  /** Rows received so far by a first sync under way, else null. */
  firstSyncRows: number | null;
  /** The last completed sync, null when this device never completed one. */
  lastSyncedAt: string | null;
}

/** The badge's state (its colour and `data-state`). */
export type BadgeState =
  | 'synced'
  | 'pending'
  | 'syncing'
  | 'offline'
  | 'attention'
  | 'error'
  | 'facility_mismatch'
  | 'read_only'
  | 'update_required'
  | 'signed_out';

export interface SyncBadge {
  state: BadgeState;
  /** The short line: "All synced", "Offline · 3 waiting", "2 changes waiting to sync", … (rejections are a separate link). */
  summary: string;
  /** A sentence for states that need a person, else null. */
  detail: string | null;
}

const HALTED: ReadonlySet<EngineSyncState> = new Set(['facility_mismatch', 'read_only', 'update_required', 'signed_out']);

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function syncBadge(f: SyncFacts): SyncBadge {
  const waiting = f.pendingMutations + f.pendingUploads;
  // Rejections are shown beside the summary as a link ("1 needs attention"), in every state.
  if (HALTED.has(f.engineState)) {
    const summary = waiting ? `${waiting} waiting` : f.engineState === 'read_only' ? 'Read-only' : 'Not syncing';
    return { state: f.engineState as BadgeState, summary: summary, detail: f.engineMessage || null };
  }
  if (!f.online || f.engineState === 'offline') {
    return { state: 'offline', summary: waiting ? `Offline · ${waiting} waiting` : 'Offline', detail: null };
  }
  if (f.firstSyncRows !== null) {
    return { state: 'syncing', summary: `Downloading… ${f.firstSyncRows.toLocaleString('en-US')} records`, detail: null };
  }
  if (f.engineState === 'error') {
    return {
      state: 'error',
      summary: (waiting ? `${waiting} waiting · ` : '') + 'sync failed, retrying',
      detail: f.engineMessage || null,
    };
  }
  if (waiting) {
    const parts: string[] = [];
    if (f.pendingMutations) parts.push(plural(f.pendingMutations, 'change', 'changes'));
    if (f.pendingUploads) parts.push(plural(f.pendingUploads, 'photo', 'photos'));
    const summary = f.syncing ? `Syncing ${parts.join(' and ')}…` : `${parts.join(' and ')} waiting to sync`;
    return { state: f.syncing ? 'syncing' : 'pending', summary: summary, detail: null };
  }
  if (f.rejections > 0) return { state: 'attention', summary: 'Synced', detail: null };
  // Nothing confirmed yet (the first sync has not run): not "All synced".
  if (f.lastSyncedAt === null) return { state: 'syncing', summary: 'Connecting…', detail: null };
  return { state: 'synced', summary: 'All synced', detail: null };
}

import { describe, expect, it } from 'vitest';
import { syncBadge, type SyncFacts } from './sync-status';

const facts = (over: Partial<SyncFacts> = {}): SyncFacts => ({
  engineState: 'synced',
  engineMessage: '',
  online: true,
  syncing: false,
  pendingMutations: 0,
  pendingUploads: 0,
  rejections: 0,
  firstSyncRows: null,
  lastSyncedAt: '2026-11-29T06:00:00.000Z',
  ...over,
});

describe('sync badge', () => {
  it('says "All synced" only when nothing waits and nothing needs attention', () => {
    expect(syncBadge(facts())).toEqual({ state: 'synced', summary: 'All synced', detail: null });
    expect(syncBadge(facts({ pendingMutations: 1 })).summary).not.toMatch(/All synced/);
    expect(syncBadge(facts({ pendingUploads: 1 })).summary).not.toMatch(/All synced/);
    expect(syncBadge(facts({ rejections: 2 }))).toMatchObject({ state: 'attention', summary: 'Synced' });
    expect(syncBadge(facts({ engineState: 'pending' })).summary).toBe('All synced');
  });

  it('offline is calm and counts what waits, whatever the last attempt threw', () => {
    const offline = syncBadge(
      facts({
        online: false,
        engineState: 'error',
        engineMessage: 'Sync failed (Failed to fetch)',
        pendingMutations: 2,
        pendingUploads: 1,
      }),
    );
    expect(offline).toEqual({ state: 'offline', summary: 'Offline · 3 waiting', detail: null });
    expect(syncBadge(facts({ engineState: 'offline' })).summary).toBe('Offline');
    expect(syncBadge(facts({ online: false, rejections: 1, pendingMutations: 1 })).summary).toBe('Offline · 1 waiting');
  });

  it('never says uploading or syncing while offline', () => {
    const b = syncBadge(facts({ online: false, syncing: true, pendingUploads: 4, firstSyncRows: 2000 }));
    expect(b.state).toBe('offline');
    expect(b.summary).not.toMatch(/upload|sync/i);
  });

  it('counts what waits while online, and says when it is being sent', () => {
    expect(syncBadge(facts({ pendingMutations: 1 })).summary).toBe('1 change waiting to sync');
    expect(syncBadge(facts({ pendingMutations: 2, pendingUploads: 1 })).summary).toBe('2 changes and 1 photo waiting to sync');
    expect(syncBadge(facts({ pendingMutations: 2, syncing: true }))).toMatchObject({ state: 'syncing', summary: 'Syncing 2 changes…' });
  });

  it('server trouble while online is an error that says it retries, with the reason as detail', () => {
    const b = syncBadge(facts({ engineState: 'error', engineMessage: 'Sync failed (db down); retrying', pendingMutations: 1 }));
    expect(b).toEqual({ state: 'error', summary: '1 waiting · sync failed, retrying', detail: 'Sync failed (db down); retrying' });
  });

  it('states that need a person win over everything, and keep the count', () => {
    for (const s of ['signed_out', 'facility_mismatch', 'read_only', 'update_required'] as const) {
      const b = syncBadge(facts({ engineState: s, engineMessage: `because ${s}`, online: false, pendingMutations: 3 }));
      expect(b).toEqual({ state: s, summary: '3 waiting', detail: `because ${s}` });
    }
  });

  it('a device that never completed a sync is not "All synced"', () => {
    expect(syncBadge(facts({ engineState: 'pending', lastSyncedAt: null }))).toMatchObject({ state: 'syncing', summary: 'Connecting…' });
    expect(syncBadge(facts({ engineState: 'pending', lastSyncedAt: null, online: false })).summary).toBe('Offline');
  });

  it('a first sync shows its progress', () => {
    expect(syncBadge(facts({ firstSyncRows: 12000, syncing: true }))).toMatchObject({
      state: 'syncing',
      summary: 'Downloading… 12,000 records',
    });
  });
});

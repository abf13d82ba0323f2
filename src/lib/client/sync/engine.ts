// The device's sync engine (sync-protocol.md): the outbox is pushed in order, the server's changes
// are pulled to the end, and the pull is applied with a rebase in one IndexedDB transaction
// (db/rebase.ts). One tab per device syncs at a time (Web Locks). It never throws at its callers
// for network or server trouble: every outcome becomes a status the UI shows, and the queue is
// kept whatever happens (read-only, another facility, an old app version, signed out).
import type { MutationInput, MutationName } from '../../domain/sync/mutations';
import { PROTOCOL_VERSION, pullResponse, pushResponse, SCHEMA_VERSION } from '../../domain/sync/protocol';
import type { PatchOp } from '../../domain/sync/protocol';
import { getMeta, COOKIE_KEY, setMeta, STAGED_PULL_KEY, type ClientIdentity, type StagedPull } from '../db/meta';
import {
  claimDevice,
  enqueueMutation,
  enqueueMutations,
  readOutbox,
  renumberOutbox,
  type DeviceActor,
  type MutationStep,
  type PreparedBlob,
} from '../db/outbox';
import { retryNetworkFailuresNow } from '../db/blobs';
import { forgetCachedPhotos } from '../photo-cache';
import { applyPull, stagePullPage, type RebaseOutcome } from '../db/rebase';
import { recordRejections } from '../db/rejections';
import type { OutboxEntry, PtpDb, Rejection } from '../db/schema';
import { backoffDelay } from './backoff';
import { BlobUploader, type UploadRun } from './blob-uploader';
import { postJson, SyncHttpError, type FailureKind, type FetchLike, type Transport } from './http';
import { defaultLocks, type LockLike } from './lock';

export type SyncState = 'synced' | 'pending' | 'offline' | 'error' | 'facility_mismatch' | 'read_only' | 'update_required' | 'signed_out';

export interface EngineStatus {
  /** The outcome of the last sync ('synced' means it succeeded; pending counts are separate). */
  state: SyncState;
  message: string;
  syncing: boolean;
  /** 0..1 while a first full pull is running, else null. */
  firstSyncProgress: number | null;
  /** Rows received so far by that first pull. */
  firstSyncRows: number;
}

export interface SyncOutcome {
  state: SyncState;
  pushed: number;
  rejected: number;
  pulledOps: number;
  rebase?: RebaseOutcome;
  uploads?: UploadRun;
}

export interface EngineOptions {
  db: PtpDb;
  facilityId: string;
  actor: DeviceActor;
  fetch?: FetchLike;
  baseUrl?: string;
  headers?: () => Record<string, string>;
  locks?: LockLike;
  pushBatchSize?: number;
  schemaVersion?: number;
  /** Delay between syncs while online and healthy (pull "every few seconds"). */
  intervalMs?: number;
  now?: () => number;
  random?: () => number;
  /** Whether the browser says it has a network (navigator.onLine); while it does not, nothing is sent. */
  online?: () => boolean;
}

/** States that need a person (or a new app version) before syncing can go on. */
const HALTING: ReadonlySet<SyncState> = new Set(['facility_mismatch', 'update_required', 'signed_out']);

const MESSAGES: Record<SyncState, string> = {
  synced: 'All changes synced',
  pending: 'Changes waiting to sync',
  offline: 'Offline — changes are saved on this device and sync when the network returns',
  error: 'Sync failed; retrying',
  facility_mismatch: 'Signed in to another facility — these changes sync when this facility is active again',
  read_only: 'This facility is read-only (its subscription ended): changes stay on this device until it is renewed',
  update_required: 'A newer app version is needed — reload to update (your changes are kept)',
  signed_out: 'Sign in again to sync (your changes are kept on this device)',
};

const STATE_OF: Partial<Record<FailureKind, SyncState>> = {
  network: 'offline',
  signed_out: 'signed_out',
  read_only: 'read_only',
  facility_mismatch: 'facility_mismatch',
  update_required: 'update_required',
};

export class SyncEngine {
  readonly db: PtpDb;
  readonly facilityId: string;
  readonly actor: DeviceActor;
  status: EngineStatus = { state: 'pending', message: '', syncing: false, firstSyncProgress: null, firstSyncRows: 0 };

  private client!: ClientIdentity;
  private readonly transport: Transport;
  private readonly locks: LockLike;
  private readonly uploader: BlobUploader;
  private readonly opts: Required<Pick<EngineOptions, 'pushBatchSize' | 'schemaVersion' | 'intervalMs' | 'now' | 'random' | 'online'>>;
  private listeners = new Set<(s: EngineStatus) => void>();
  private inflight: Promise<SyncOutcome> | null = null;
  private again = false;
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private detach: (() => void) | null = null;

  private constructor(o: EngineOptions) {
    this.db = o.db;
    this.facilityId = o.facilityId;
    this.actor = o.actor;
    this.transport = { baseUrl: o.baseUrl ?? '', fetch: o.fetch ?? ((url, init) => fetch(url, init)), headers: o.headers };
    this.locks = o.locks ?? defaultLocks();
    this.opts = {
      pushBatchSize: o.pushBatchSize ?? 500,
      schemaVersion: o.schemaVersion ?? SCHEMA_VERSION,
      intervalMs: o.intervalMs ?? 5_000,
      now: o.now ?? Date.now,
      random: o.random ?? Math.random,
      online: o.online ?? (() => typeof navigator === 'undefined' || navigator.onLine !== false),
    };
    this.uploader = new BlobUploader(this.db, this.transport, this.locks, `ptp-upload-${this.facilityId}`, this.opts.now, this.opts.random);
  }

  /** Opens the engine for (this device, user, facility): claims the queue and asks for persistent storage. */
  static async open(o: EngineOptions): Promise<SyncEngine> {
    const engine = new SyncEngine(o);
    engine.client = await claimDevice(o.db, o.actor.userId);
    requestPersistentStorage();
    return engine;
  }

  get clientId() {
    return this.client.clientId;
  }

  onStatus(listener: (s: EngineStatus) => void): () => void {
    this.listeners.add(listener);
    listener(this.status);
    return () => this.listeners.delete(listener);
  }

  /**
   * The UI's one write path: runs the shared mutator optimistically and queues the mutation (and
   * its photos) in one transaction, then asks for a sync. Throws MutationRejection when the change
   * is not allowed here and now (nothing is queued), StorageFullError when the device is full.
   */
  async mutate<N extends MutationName>(name: N, args: MutationInput<N>, blobs?: PreparedBlob[]): Promise<OutboxEntry> {
    const entry = await enqueueMutation(this.db, this.actor, name, args, blobs);
    this.requestSync();
    return entry;
  }

  /** Several mutations as one action: all queued in one transaction, or none (see enqueueMutations). */
  async mutateAll(steps: MutationStep[], alongside?: () => Promise<void>): Promise<OutboxEntry[]> {
    const entries = await enqueueMutations(this.db, this.actor, steps, undefined, alongside);
    this.requestSync();
    return entries;
  }

  /** Whether signing out would lose anything (the sign-out confirmation asks first). */
  async hasUnsyncedChanges(): Promise<boolean> {
    return (await this.db.outbox.count()) > 0 || (await this.db.blobs.where('state').anyOf('pending', 'uploading').count()) > 0;
  }

  /** Fire and forget: the result lands in the status. */
  requestSync() {
    void this.sync();
  }

  /** Pushes, pulls, rebases, then uploads. Concurrent calls coalesce into at most one more run. */
  sync(): Promise<SyncOutcome> {
    if (this.inflight) {
      this.again = true;
      return this.inflight;
    }
    this.inflight = (async () => {
      let outcome: SyncOutcome;
      do {
        this.again = false;
        outcome = await this.syncOnce();
      } while (this.again && !HALTING.has(outcome.state));
      return outcome;
    })().finally(() => {
      this.inflight = null;
      this.schedule();
    });
    return this.inflight;
  }

  /** After signing in again, or when the facility is active again: sync resumes. */
  resume() {
    this.failures = 0;
    this.setStatus({ state: 'pending', message: '' });
    this.requestSync();
  }

  /** The device is online again: photos that failed only for want of a network go now. */
  async networkReturned(): Promise<void> {
    this.failures = 0;
    await retryNetworkFailuresNow(this.db);
    await this.sync();
  }

  /** Installs the triggers: online, focus, visibility, the service worker's SYNC message, a timer. */
  start() {
    if (this.detach || typeof window === 'undefined') return;
    const kick = () => this.requestSync();
    const onOnline = () => void this.networkReturned();
    const onVisible = () => document.visibilityState === 'visible' && kick();
    const onOffline = () => this.setStatus({ state: 'offline', message: MESSAGES.offline });
    const onMessage = (e: MessageEvent) => (e.data as { type?: string } | null)?.type === 'SYNC' && kick();
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    window.addEventListener('focus', kick);
    document.addEventListener('visibilitychange', onVisible);
    navigator.serviceWorker?.addEventListener('message', onMessage);
    this.detach = () => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('focus', kick);
      document.removeEventListener('visibilitychange', onVisible);
      navigator.serviceWorker?.removeEventListener('message', onMessage);
    };
    kick();
  }

  stop() {
    this.detach?.();
    this.detach = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Settles once the sync under way (if any) has ended: its database may be closed after that. */
  async idle(): Promise<void> {
    await this.inflight?.catch(() => {});
  }

  private schedule() {
    if (!this.detach) return; // not started: tests drive sync() themselves
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const state = this.status.state;
    if (HALTING.has(state)) return;
    // The browser knows it has no network: wait for its `online` event, not a timer.
    if (state === 'offline' && !this.opts.online()) return;
    let delay = this.opts.intervalMs;
    if (state === 'offline' || state === 'error') delay = backoffDelay(this.failures, { random: this.opts.random });
    else if (typeof document !== 'undefined' && document.visibilityState === 'hidden') delay = Math.max(delay, 30_000);
    this.timer = setTimeout(() => this.requestSync(), delay);
  }

  private async syncOnce(): Promise<SyncOutcome> {
    const outcome: SyncOutcome = { state: 'synced', pushed: 0, rejected: 0, pulledOps: 0 };
    if (HALTING.has(this.status.state)) return { ...outcome, state: this.status.state };
    if (!this.opts.online()) {
      // No request while the browser is offline: the queue waits for the `online` event.
      this.setStatus({ state: 'offline', message: MESSAGES.offline, syncing: false, firstSyncProgress: null });
      return { ...outcome, state: 'offline' };
    }
    this.setStatus({ syncing: true });
    let readOnly: SyncHttpError | null = null;
    try {
      await this.locks.request(`ptp-sync-${this.facilityId}`, async () => {
        try {
          await this.push(outcome);
        } catch (e) {
          // Read-only still reads: the queue waits, the pull goes on.
          if (!(e instanceof SyncHttpError && e.kind === 'read_only')) throw e;
          readOnly = e;
        }
        await this.pull(outcome);
      });
      this.failures = 0;
      outcome.state = readOnly ? 'read_only' : 'synced';
      this.setStatus({
        state: outcome.state,
        message: readOnly ? MESSAGES.read_only : MESSAGES.synced,
        syncing: false,
        firstSyncProgress: null,
      });
    } catch (e) {
      outcome.state = this.fail(e);
      return outcome;
    }
    try {
      outcome.uploads = await this.uploader.run();
    } catch (e) {
      outcome.state = this.fail(e);
      return outcome;
    }
    if (outcome.uploads.stoppedBy) outcome.state = this.fail(outcome.uploads.stoppedBy);
    return outcome;
  }

  private fail(e: unknown): SyncState {
    if (!(e instanceof SyncHttpError)) {
      // A bug or a storage failure, not the network: visible, and retried with backoff.
      console.error('[sync]', e);
    }
    const kind: FailureKind = e instanceof SyncHttpError ? e.kind : 'refused';
    // No answer at all is "offline" even when the browser believes it is online (Wi-Fi without a
    // way out): said calmly, retried with backoff; only an answer from the server is an error.
    const state = STATE_OF[kind] ?? 'error';
    this.failures++;
    const detail = e instanceof Error ? e.message : String(e);
    const message = state === 'error' ? `Sync failed (${detail}); retrying` : MESSAGES[state];
    this.setStatus({ state, message, syncing: false, firstSyncProgress: null });
    return state;
  }

  private envelope() {
    return {
      protocolVersion: PROTOCOL_VERSION,
      schemaVersion: this.opts.schemaVersion,
      facilityId: this.facilityId,
      clientId: this.client.clientId,
    };
  }

  private async push(outcome: SyncOutcome) {
    let from = 1;
    let outOfOrder = 0;
    for (;;) {
      const batch = await readOutbox(this.db, from, this.opts.pushBatchSize);
      if (!batch.length) return;
      try {
        const res = await postJson(this.transport, '/api/sync/push', { ...this.envelope(), mutations: batch }, pushResponse);
        outcome.pushed += batch.length;
        await this.recordResults(batch, res.results);
        outcome.rejected += res.results.filter((r) => r.status === 'rejected').length;
        from = batch[batch.length - 1]!.id + 1;
      } catch (e) {
        if (!(e instanceof SyncHttpError && e.kind === 'out_of_order') || ++outOfOrder > 3) throw e;
        // The server names the id it needs next: send from there (sync-protocol.md "Push").
        const expected = Number(e.body.expected);
        if (!Number.isInteger(expected) || expected < 1) throw e;
        const first = (await this.db.outbox.orderBy('id').first())?.id ?? expected;
        if (expected < first) await renumberOutbox(this.db, this.actor.userId, expected);
        from = expected;
      }
    }
  }

  private async recordResults(batch: OutboxEntry[], results: { id: number; status: string; code?: string; message?: string }[]) {
    const byId = new Map(batch.map((m) => [m.id, m]));
    const at = new Date(this.opts.now()).toISOString();
    const rejections: Rejection[] = [];
    for (const r of results) {
      // A re-sent mutation answers alreadyProcessed with the reason it was rejected the first time.
      if (!r.code || r.status === 'applied') continue;
      const m = byId.get(r.id);
      if (!m) continue;
      rejections.push({
        clientId: this.client.clientId,
        id: m.id,
        name: m.name,
        args: m.args,
        code: r.code,
        message: r.message ?? r.code,
        at,
      });
    }
    await recordRejections(this.db, rejections);
  }

  private async pull(outcome: SyncOutcome) {
    let cookie = (await getMeta<string | null>(this.db, COOKIE_KEY)) ?? null;
    let staged = (await getMeta<StagedPull | null>(this.db, STAGED_PULL_KEY)) ?? null;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.pullPages(outcome, cookie, staged);
        return;
      } catch (e) {
        // A cookie this server does not know (another deployment): start over from a full snapshot.
        if (attempt === 0 && e instanceof SyncHttpError && (e.code === 'invalid_cursor' || e.code === 'invalid_cookie')) {
          cookie = null;
          staged = null;
          await setMeta(this.db, COOKIE_KEY, null);
          await setMeta(this.db, STAGED_PULL_KEY, null);
          continue;
        }
        throw e;
      }
    }
  }

  /**
   * Pulls to the end. An incremental pull stages its pages in memory and applies them in one
   * transaction with the rebase. A first sync (no cookie, or one interrupted earlier) writes each
   * page as it arrives while the next one downloads, so the lists fill in at once; its last page
   * confirms the snapshot (docs/sync.md "First sync").
   */
  private async pullPages(outcome: SyncOutcome, storedCookie: string | null, staged: StagedPull | null) {
    const start = staged ? staged.cookie : storedCookie;
    const firstSync = start === null || staged !== null;
    let stagedRows = staged?.rows ?? 0;
    let stagedAny = staged !== null;
    const memory: PatchOp[] = [];
    let pages = 0;
    const fetchPage = (cookie: string | null) => {
      const p = postJson(this.transport, '/api/sync/pull', { ...this.envelope(), cookie }, pullResponse);
      p.catch(() => undefined); // awaited below; a page fetched ahead must not reject unobserved
      return p;
    };
    let next = fetchPage(start);
    for (;;) {
      const page = await next;
      pages++;
      outcome.pulledOps += page.patch.length;
      if (!page.more) {
        const patch = memory.length ? [...memory, ...page.patch] : page.patch;
        if (firstSync) this.setStatus({ firstSyncProgress: 1, firstSyncRows: stagedRows + patch.length });
        outcome.rebase = await applyPull(this.db, this.actor, {
          patch,
          lastMutationId: page.lastMutationId,
          cookie: page.cookie,
          fromScratch: start === null && !stagedAny,
        });
        // Photos the facility's retention deleted leave the service worker's cache too.
        if (outcome.rebase.droppedPhotos.length) {
          void forgetCachedPhotos(outcome.rebase.droppedPhotos).catch((e) => console.warn('[sync] photo cache', e));
        }
        this.client = { ...this.client, lastMutationId: Math.max(this.client.lastMutationId, page.lastMutationId) };
        return;
      }
      next = fetchPage(page.cookie); // downloads while this page is written
      if (firstSync) {
        stagedRows += page.patch.length;
        await stagePullPage(this.db, this.actor, page.patch, { cookie: page.cookie, rows: stagedRows }, !stagedAny);
        stagedAny = true;
        this.setStatus({ firstSyncProgress: pages / (pages + 2), firstSyncRows: stagedRows });
      } else {
        memory.push(...page.patch);
      }
    }
  }

  private setStatus(patch: Partial<EngineStatus>) {
    this.status = { ...this.status, ...patch };
    for (const l of this.listeners) l(this.status);
  }
}

let persistRequested = false;

/** sync-protocol.md "Device duties": ask once that the browser not evict the queue under pressure. */
function requestPersistentStorage() {
  if (persistRequested || typeof navigator === 'undefined' || !navigator.storage?.persist) return;
  persistRequested = true;
  void navigator.storage
    .persisted()
    .then((already) => already || navigator.storage.persist())
    .catch(() => undefined);
}

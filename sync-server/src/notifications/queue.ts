// The notification queue: pg-boss (a Postgres-backed job queue) runs the pipeline's steps as jobs,
// so retries, exponential backoff, scheduling and "one worker per job" hold across every server
// process sharing the database, and survive a restart.
//  - notification-sweep: claims due outbox rows into messages, queues one send job per message;
//  - notification-send: one message to its provider (job id = message id: a message gets one job,
//    however many sweeps see it); a 5xx/timeout throws, so pg-boss retries it with backoff;
//  - notification-reminders: every 15 minutes, then a sweep.
// Anything that makes a notification due (a push, an admin's resend) rings wakeNotifications.
import PgBoss from 'pg-boss';
import type { Deps } from '../context.ts';
import { queueReminders, sendMessages, sweepNotifications, type SendOutcome } from './pipeline.ts';

const SWEEP = 'notification-sweep';
const SEND = 'notification-send';
const REMIND = 'notification-reminders';
/** Send workers per process, each sending a batch of messages at a time. */
const SEND_WORKERS = 4;
const SEND_BATCH = 25;

interface SendJob {
  facilityId: string;
  messageId: string;
}

export interface NotificationQueue {
  boss: PgBoss;
  /** Sweeps now (coalesced: a wake during a sweep runs one more after it). */
  wake(): void;
  /** Runs every due job until none is left (`npm run jobs -- --once`), with the clock at `now`. */
  drain(now: Date): Promise<{ sent: number; failed: number }>;
  stop(): Promise<void>;
}

const running = new WeakMap<Deps, NotificationQueue>();

export function wakeNotifications(deps: Deps): void {
  running.get(deps)?.wake();
}

/**
 * Starts the queue on the app's database. `work`: this process also works jobs on their schedule
 * (npm start); without it the caller drains them (the jobs command).
 */
export async function startNotificationQueue(deps: Deps, o: { work: boolean }): Promise<NotificationQueue> {
  const boss = new PgBoss({
    db: { executeSql: (text, values) => deps.db.jobsSql(text, values) },
    schema: 'pgboss',
    supervise: o.work,
    schedule: o.work,
    migrate: true,
  });
  boss.on('error', (e) => console.error('[notifications] queue:', e.message));
  await boss.start();
  const delay = deps.env.NOTIFY_RETRY_DELAY_SECONDS;
  await ensureQueue(boss, SWEEP, { policy: 'singleton' });
  await ensureQueue(boss, REMIND, { policy: 'singleton' });
  await ensureQueue(boss, SEND, {
    policy: 'standard',
    retryLimit: deps.env.NOTIFY_MAX_ATTEMPTS - 1,
    retryDelay: delay,
    retryBackoff: delay > 0,
    expireInSeconds: 120,
  });

  const senders: string[] = [];
  const enqueue = async (toSend: SendJob[]) => {
    if (!toSend.length) return;
    // The message id is the job id: a message already queued (or sent) is not queued again.
    await boss.insert(toSend.map((m) => ({ name: SEND, id: m.messageId, data: m })));
    // This process's idle senders start now rather than at their next poll.
    for (const id of senders) boss.notifyWorker(id);
  };
  const sweep = async (now: Date) => {
    for (;;) {
      const r = await sweepNotifications(deps, now);
      await enqueue(r.toSend);
      if (o.work && r.nextDueAt) {
        // Come back when the batching window of the rows held back closes.
        await boss.send(SWEEP, {}, { startAfter: r.nextDueAt, singletonKey: `at-${r.nextDueAt.getTime()}` });
      }
      if (!r.more) return;
    }
  };

  let sweeping: Promise<void> | null = null;
  let again = false;
  const wake = () => {
    if (sweeping) {
      again = true;
      return;
    }
    sweeping = (async () => {
      do {
        again = false;
        await sweep(new Date()).catch((e: Error) => console.error('[notifications] sweep failed:', e.message));
      } while (again);
    })().finally(() => (sweeping = null));
  };

  /** Sends a batch of jobs' messages; answers each job's outcome ('retry': pg-boss tries it again later). */
  const send = async (jobs: PgBoss.JobWithMetadata<SendJob>[], now?: Date) => {
    const byFacility = new Map<string, PgBoss.JobWithMetadata<SendJob>[]>();
    for (const j of jobs) byFacility.set(j.data.facilityId, [...(byFacility.get(j.data.facilityId) ?? []), j]);
    const outcomes = new Map<string, SendOutcome>();
    for (const [facilityId, group] of byFacility) {
      const r = await sendMessages(
        deps,
        facilityId,
        group.map((j) => ({ messageId: j.data.messageId, lastTry: j.retryCount >= j.retryLimit })),
        now,
      );
      for (const j of group) outcomes.set(j.id, r.get(j.data.messageId) ?? 'nothing');
    }
    return outcomes;
  };
  /** Completes each job, or fails it so that pg-boss retries it after its backoff. */
  const settle = async (jobs: PgBoss.JobWithMetadata<SendJob>[], outcomes: Map<string, SendOutcome>) => {
    const retry = jobs.filter((j) => outcomes.get(j.id) === 'retry').map((j) => j.id);
    const done = jobs.filter((j) => outcomes.get(j.id) !== 'retry').map((j) => j.id);
    if (done.length) await boss.complete(SEND, done);
    if (retry.length) await boss.fail(SEND, retry);
  };

  if (o.work) {
    // Sending waits on the provider, not the CPU: several workers each send a batch at once.
    for (let i = 0; i < SEND_WORKERS; i++) {
      let self = '';
      self = await boss.work<SendJob>(SEND, { batchSize: SEND_BATCH, pollingIntervalSeconds: 1, includeMetadata: true }, async (jobs) => {
        // Settled here, not by pg-boss: a failed send must not fail the batch's other jobs.
        await settle(jobs, await send(jobs));
        // A full batch means more are waiting: fetch again at once instead of after the poll interval.
        if (jobs.length === SEND_BATCH) boss.notifyWorker(self);
      });
      senders.push(self);
    }
    await boss.work(SWEEP, { pollingIntervalSeconds: 2 }, async () => sweep(new Date()));
    await boss.work(REMIND, { pollingIntervalSeconds: 10 }, async () => {
      await queueReminders(deps, new Date());
      await sweep(new Date());
    });
    await boss.schedule(REMIND, '*/15 * * * *');
    await boss.schedule(SWEEP, '* * * * *');
  }

  const queue: NotificationQueue = {
    boss,
    wake,
    async drain(now) {
      await sweep(now);
      let sent = 0;
      let failed = 0;
      for (;;) {
        const jobs = await boss.fetch<SendJob>(SEND, { batchSize: 50, includeMetadata: true });
        if (!jobs.length) return { sent, failed };
        const outcomes = await send(jobs, now);
        for (const o of outcomes.values()) {
          if (o === 'sent') sent++;
          if (o === 'failed') failed++;
        }
        await settle(jobs, outcomes);
      }
    },
    async stop() {
      if (running.get(deps) === queue) running.delete(deps);
      await sweeping;
      await boss.stop({ graceful: true, close: false, timeout: 10_000 });
    },
  };
  // Only a working queue answers the doorbell; one drained by the jobs command sweeps on its own.
  if (o.work) running.set(deps, queue);
  return queue;
}

async function ensureQueue(boss: PgBoss, name: string, options: Omit<PgBoss.Queue, 'name'>) {
  if (await boss.getQueue(name)) await boss.updateQueue(name, { name, ...options });
  else await boss.createQueue(name, { name, ...options });
}

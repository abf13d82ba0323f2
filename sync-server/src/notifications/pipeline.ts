// The notification pipeline, the steps the queue's jobs run (queue.ts):
//  1. plan: due outbox rows are claimed into messages (rows batched into one message share its id)
//     and the message is rendered and stored on them; in-app rows are done there and then, email
//     without a provider is captured;
//  2. send: one message goes to its channel's provider with the message id as the idempotency key,
//     and its outcome is recorded (sent, failed for good, or queued again for a retry);
//  3. reminders: recipients whose packages keep waiting get one reminder row per run.
import { randomUUID } from 'node:crypto';
import { quietHoursOf } from '../../../src/lib/domain/facility-settings.ts';
import {
  feedLine,
  mayRemindAt,
  notice,
  noticeShort,
  noticeText,
  reminderDue,
  type NoticeInput,
  type NotificationKind,
} from '../../../src/lib/domain/notifications.ts';
import type { Deps } from '../context.ts';
import type { RemindSkipReason } from '../../../src/lib/domain/package-remind.ts';
import { ResendEmail } from '../mail/mailer.ts';
import { listFacilityIds } from '../repositories/facilities.ts';
import { findFacility } from '../repositories/facility-settings.ts';
import {
  claimIntoMessages,
  insertReminder,
  lockReminders,
  loadNoticePackages,
  loadRecipients,
  lockUnclaimedNotifications,
  markAttemptBegun,
  queuedRowsOfMessages,
  recordAttempts,
  recordedProviderIds,
  reminderCandidates,
  selectedPackages,
  stalledMessages,
  waitingPackageIds,
  type Attempt,
  type DueNotification,
  type MessageFields,
} from '../repositories/notification-outbox.ts';
import type { ChannelSender, OutgoingMessage, SendResult } from './channel.ts';
import { facilityChannels, recordIntegrationOutcome } from './integrations.ts';
import { renderEmail } from './render.ts';
import { unsubscribeLink } from './unsubscribe.ts';

/** Rows claimed per facility per sweep; the rest wait for the next one (a sweep follows at once). */
const CLAIM_LIMIT = 250;
/** A claimed message with no attempt for this long lost its job (a crash): it is queued again. */
const STALLED_AFTER_MS = 10 * 60_000;

export interface Sweep {
  /** Messages waiting for their send job. */
  toSend: { facilityId: string; messageId: string }[];
  /** When rows still held back (the batching window) become due; null: none. */
  nextDueAt: Date | null;
  /** More due rows than one sweep claims: sweep again now. */
  more: boolean;
}

const emailSenders = new WeakMap<Deps, ResendEmail>();
/** Notification email's sender; null without RESEND_API_KEY (the message is then captured). */
function emailSender(deps: Deps): ResendEmail | null {
  if (!deps.env.RESEND_API_KEY) return null;
  let s = emailSenders.get(deps);
  if (!s) emailSenders.set(deps, (s = new ResendEmail(deps.env.RESEND_API_KEY, deps.env.EMAIL_FROM, deps.env.RESEND_BASE_URL)));
  return s;
}

/** Claims every facility's due rows into messages. */
export async function sweepNotifications(deps: Deps, now: Date): Promise<Sweep> {
  const out: Sweep = { toSend: [], nextDueAt: null, more: false };
  for (const facilityId of await listFacilityIds(deps.db.prisma)) {
    const r = await planFacility(deps, facilityId, now);
    out.toSend.push(...r.toSend.map((messageId) => ({ facilityId, messageId })));
    if (r.nextDueAt && (!out.nextDueAt || r.nextDueAt < out.nextDueAt)) out.nextDueAt = r.nextDueAt;
    out.more ||= r.more;
  }
  return out;
}

/** Groups rows into messages: received packages batch per recipient and channel, the rest go alone. */
function groupRows(rows: DueNotification[]) {
  const groups = new Map<string, DueNotification[]>();
  for (const r of rows) {
    const key = r.kind === 'received' && r.recipientId ? `received|${r.channel}|${r.recipientId}` : r.id;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()];
}

async function planFacility(deps: Deps, facilityId: string, now: Date) {
  const windowMs = deps.env.NOTIFY_BATCH_WINDOW_SECONDS * 1000;
  const email = emailSender(deps);
  return deps.db.withFacility(facilityId, async (tx) => {
    const rows = await lockUnclaimedNotifications(tx, facilityId, now, CLAIM_LIMIT);
    const stalled = await stalledMessages(tx, facilityId, new Date(now.getTime() - STALLED_AFTER_MS));
    let nextDueAt: Date | null = null;
    const due: DueNotification[][] = [];
    for (const g of groupRows(rows)) {
      // A batch goes once its first package has waited out the window.
      const first = Math.min(...g.map((r) => r.createdAt.getTime()));
      if (g[0]!.kind === 'received' && first + windowMs > now.getTime()) {
        const at = new Date(first + windowMs);
        if (!nextDueAt || at < nextDueAt) nextDueAt = at;
      } else due.push(g);
    }
    // Nothing due among a full page: the rest is held back too (received rows come last, oldest first).
    if (!due.length) return { toSend: stalled, nextDueAt, more: false };

    const facility = await findFacility(tx, facilityId);
    if (!facility) return { toSend: [], nextDueAt: null, more: false };
    const recipientIds = [...new Set(due.flat().flatMap((r) => (r.recipientId ? [r.recipientId] : [])))];
    const recipients = new Map((await loadRecipients(tx, facilityId, recipientIds)).map((r) => [r.id, r]));
    // A reminder lists what is waiting when it goes out, not when it was queued.
    const reminderPackages = new Map<string, string[]>();
    for (const g of due)
      if (g[0]!.kind === 'reminder' && g[0]!.recipientId)
        reminderPackages.set(g[0]!.id, await waitingPackageIds(tx, facilityId, g[0]!.recipientId));
    const packageIds = [
      ...new Set([...due.flat().flatMap((r) => (r.packageId ? [r.packageId] : [])), ...[...reminderPackages.values()].flat()]),
    ];
    const packages = new Map((await loadNoticePackages(tx, facilityId, packageIds)).map((p) => [p.id, p]));

    const toSend: string[] = [...stalled];
    const claims: Parameters<typeof claimIntoMessages>[2] = [];
    for (const g of due) {
      const head = g[0]!;
      const kind = head.kind as NotificationKind;
      const recipient = head.recipientId ? recipients.get(head.recipientId) : undefined;
      const ids = kind === 'reminder' ? (reminderPackages.get(head.id) ?? []) : g.flatMap((r) => (r.packageId ? [r.packageId] : []));
      const pkgs = ids.flatMap((id) => packages.get(id) ?? []);
      const messageId = randomUUID();
      const input: NoticeInput = {
        kind,
        facilityName: facility.name,
        recipientName: recipient?.name ?? 'there',
        timeZone: facility.timezone,
        packages: pkgs,
        deliveredTo: pkgs[0]?.deliveredTo,
        deliveredAt: pkgs[0]?.deliveredAt,
        showHoldNote: facility.holdNoteInNotifications,
      };
      const fields = await messageFor(deps, facilityId, head, input, { recipientEmail: recipient?.email ?? null, email, now });
      claims.push({ ...fields, messageId, ids: g.map((r) => r.id) });
      if (fields.status === 'queued') toSend.push(messageId);
    }
    await claimIntoMessages(tx, facilityId, claims);
    return { toSend, nextDueAt, more: rows.length === CLAIM_LIMIT };
  });
}

async function messageFor(
  deps: Deps,
  facilityId: string,
  head: DueNotification,
  input: NoticeInput,
  o: { recipientEmail: string | null; email: ResendEmail | null; now: Date },
): Promise<Omit<MessageFields, 'messageId'>> {
  const n = notice(input);
  if (!input.packages.length) {
    // Delivered, returned or deleted before a reminder went out, or a package no longer there.
    return { to: head.to, subject: n.subject, bodyText: '', bodyHtml: null, status: 'failed', error: 'No package left to tell about' };
  }
  switch (head.channel) {
    case 'email': {
      const to = head.to ?? o.recipientEmail?.trim() ?? null;
      const unsubscribeUrl =
        input.kind === 'reminder' && head.recipientId ? unsubscribeLink(deps, facilityId, head.recipientId, 'email').url || null : null;
      const r = await renderEmail(n, { facilityName: input.facilityName, unsubscribeUrl });
      if (!to)
        return {
          to,
          subject: r.subject,
          bodyText: r.text,
          bodyHtml: r.html,
          status: 'failed',
          error: 'The recipient has no email address',
        };
      // Without a provider the message is kept in the captured outbox and never leaves the machine.
      return { to, subject: r.subject, bodyText: r.text, bodyHtml: r.html, status: o.email ? 'queued' : 'captured' };
    }
    case 'sms':
      return { to: head.to, subject: n.subject, bodyText: noticeShort(input), bodyHtml: null, status: 'queued' };
    case 'slack':
    case 'teams':
      return { to: head.to, subject: n.subject, bodyText: feedLine(input), bodyHtml: null, status: 'queued' };
    default:
      // The in-app bell: the row is the message; the recipient's user reads it.
      return {
        to: head.to,
        subject: n.subject,
        bodyText: noticeText(n, { facilityName: input.facilityName }),
        bodyHtml: null,
        status: 'sent',
        sentAt: o.now,
      };
  }
}

export type SendOutcome = 'sent' | 'failed' | 'retry' | 'nothing';

/** How much earlier than its rows a provider's clock may date a message (clock skew). */
const LOOKUP_MARGIN_MS = 5 * 60_000;

/**
 * The first of these provider ids that no notification of the facility holds yet: a message with
 * the same text sent earlier to the same address (an earlier notice) is not this one.
 */
async function unrecordedProviderId(deps: Deps, facilityId: string, ids: string[]): Promise<string | null> {
  if (!ids.length) return null;
  const known = new Set(await deps.db.withFacility(facilityId, (tx) => recordedProviderIds(tx, facilityId, ids)));
  return ids.find((id) => !known.has(id)) ?? null;
}

/**
 * Sends messages of one facility and records what happened, reading and recording them in one
 * transaction each. The message id is the idempotency key, so a retry after the provider accepted
 * it (the answer lost, the process stopped) sends nothing twice. `lastTry`: the queue will not try
 * that message again, so a transient failure is final.
 */
export async function sendMessages(
  deps: Deps,
  facilityId: string,
  messages: { messageId: string; lastTry?: boolean }[],
  now?: Date,
): Promise<Map<string, SendOutcome>> {
  const outcomes = new Map<string, SendOutcome>(messages.map((m) => [m.messageId, 'nothing']));
  const rows = await deps.db.withFacility(facilityId, (tx) =>
    queuedRowsOfMessages(
      tx,
      facilityId,
      messages.map((m) => m.messageId),
    ),
  );
  if (!rows.length) return outcomes;
  const heads = new Map<string, (typeof rows)[number]>();
  const firstCreated = new Map<string, Date>();
  for (const r of rows) {
    if (!r.messageId) continue;
    if (!heads.has(r.messageId)) heads.set(r.messageId, r);
    const first = firstCreated.get(r.messageId);
    if (!first || r.createdAt < first) firstCreated.set(r.messageId, r.createdAt);
  }
  const channels = rows.some((r) => r.channel !== 'email') ? await facilityChannels(deps, facilityId) : {};
  const email = emailSender(deps);
  const at = now ?? new Date();
  const records: { messageId: string; attempt: Attempt }[] = [];

  await Promise.all(
    messages.map(async ({ messageId, lastTry }) => {
      const head = heads.get(messageId);
      if (!head) return;
      const channel = head.channel;
      const sender: ChannelSender | null | undefined =
        channel === 'email' ? email : channel === 'sms' || channel === 'slack' || channel === 'teams' ? channels[channel] : null;
      const done = (outcome: SendOutcome, attempt: Attempt) => {
        outcomes.set(messageId, outcome);
        records.push({ messageId, attempt });
      };
      // The key was removed since the message was planned: it stays on the machine.
      if (channel === 'email' && !sender) return done('sent', { status: 'captured' });
      if (!sender || !head.to) {
        return done('failed', { status: 'failed', error: sender ? 'No address to send to' : `No ${channel} integration is connected`, at });
      }
      const message: OutgoingMessage = {
        to: head.to,
        subject: head.subject ?? '',
        text: head.bodyText ?? '',
        ...(head.bodyHtml ? { html: head.bodyHtml } : {}),
        idempotencyKey: messageId,
      };
      if (channel === 'email' && head.kind === 'reminder' && head.recipientId) {
        const headers = unsubscribeLink(deps, facilityId, head.recipientId, 'email').headers;
        if (Object.keys(headers).length) message.headers = headers;
      }
      // SMS after an attempt that did not answer, or that a stopped process began: ask Twilio
      // before sending again. A first attempt is marked begun before it goes out.
      if (sender.findAccepted && head.attempts === 0 && !head.lastAttemptAt) {
        await deps.db.withFacility(facilityId, (tx) => markAttemptBegun(tx, facilityId, messageId, at));
      } else if (sender.findAccepted) {
        const since = new Date(firstCreated.get(messageId)!.getTime() - LOOKUP_MARGIN_MS);
        let found: string | null;
        try {
          found = await unrecordedProviderId(deps, facilityId, await sender.findAccepted(message, since));
        } catch (e) {
          const error = `Could not ask the provider whether an earlier attempt went out: ${(e as Error).message || 'no answer'}`;
          if (lastTry || head.attempts + 1 >= deps.env.NOTIFY_MAX_ATTEMPTS) return done('failed', { status: 'failed', error, at });
          const delay = deps.env.NOTIFY_RETRY_DELAY_SECONDS * 1000 * 2 ** head.attempts;
          return done('retry', { status: 'queued', error, at, nextAttemptAt: new Date(at.getTime() + delay) });
        }
        if (found) {
          await recordIntegrationOutcome(deps, facilityId, 'sms', { ok: true });
          return done('sent', { status: 'sent', providerId: found, at });
        }
      }
      let result: SendResult;
      let timer: NodeJS.Timeout | undefined;
      try {
        // A provider that never answers must not hold the worker: the message is retried (with
        // the same idempotency key, so an answer that was only late sends nothing twice).
        const timeout = new Promise<SendResult>((resolve) => {
          const s = deps.env.NOTIFY_SEND_TIMEOUT_SECONDS;
          timer = setTimeout(
            () => resolve({ ok: false, permanent: false, ambiguous: true, error: `No answer from the provider within ${s} s` }),
            s * 1000,
          );
        });
        result = await Promise.race([sender.send(message), timeout]);
      } catch (e) {
        result = { ok: false, permanent: false, ambiguous: true, error: (e as Error).message || 'The provider could not be reached' };
      } finally {
        clearTimeout(timer);
      }
      // A feed post that may have gone out is never posted again: at most once, and the admin resends.
      if (!result.ok && result.ambiguous && (channel === 'slack' || channel === 'teams')) {
        const provider = channel === 'slack' ? 'Slack' : 'Teams';
        result = {
          ok: false,
          permanent: true,
          error: `No answer from ${provider}: the post may have gone out; resend from the delivery log if it did not (${result.error})`,
        };
      }
      if (channel === 'sms' || channel === 'slack' || channel === 'teams') {
        await recordIntegrationOutcome(deps, facilityId, channel, result.ok ? { ok: true } : { ok: false, error: result.error });
      }
      if (result.ok) return done('sent', { status: 'sent', providerId: result.providerId, at });
      const attempts = head.attempts + 1;
      if (result.permanent || lastTry || attempts >= deps.env.NOTIFY_MAX_ATTEMPTS) {
        return done('failed', { status: 'failed', error: result.error, at });
      }
      const delay = deps.env.NOTIFY_RETRY_DELAY_SECONDS * 1000 * 2 ** (attempts - 1);
      done('retry', { status: 'queued', error: result.error, at, nextAttemptAt: new Date(at.getTime() + delay) });
    }),
  );

  await deps.db.withFacility(facilityId, (tx) => recordAttempts(tx, facilityId, records));
  return outcomes;
}

/**
 * Queues one reminder per recipient whose packages keep waiting (at the facility's
 * reminderIntervalHours since receipt and since their last reminder), never in the facility's
 * quiet hours, only to recipients who want email. Answers how many were queued.
 */
export async function queueReminders(deps: Deps, now: Date): Promise<number> {
  let queued = 0;
  for (const facilityId of await listFacilityIds(deps.db.prisma)) {
    queued += await deps.db.withFacility(facilityId, async (tx) => {
      const f = await findFacility(tx, facilityId);
      if (!f?.active) return 0;
      const quiet = quietHoursOf(f.quietHoursStart, f.quietHoursEnd);
      if (!mayRemindAt(now, f.timezone, quiet)) return 0;
      await lockReminders(tx, facilityId);
      let n = 0;
      for (const c of await reminderCandidates(tx, facilityId)) {
        if (!reminderDue({ waitingSince: c.waitingSince, lastReminderAt: c.lastReminderAt, intervalHours: f.reminderIntervalHours, now }))
          continue;
        await insertReminder(tx, facilityId, { id: randomUUID(), recipientId: c.recipientId, to: c.email, version: f.syncVersion, now });
        n++;
      }
      return n;
    });
  }
  return queued;
}

/**
 * An admin's reminder for selected packages, sent now (quiet hours hold back automatic reminders
 * only): one reminder per distinct recipient of the open packages among `packageIds` who is a
 * reminder candidate (the same rules as queueReminders), written at `now` so it counts as their
 * last reminder. Ids that are not live packages of the facility are skipped as `not_found`.
 */
export async function remindSelected(
  deps: Deps,
  facilityId: string,
  packageIds: string[],
  now: Date,
): Promise<{ reminded: number; skipped: { packageId: string; reason: RemindSkipReason }[] }> {
  const ids = [...new Set(packageIds.map((id) => id.toLowerCase()))];
  return deps.db.withFacility(facilityId, async (tx) => {
    const f = await findFacility(tx, facilityId);
    await lockReminders(tx, facilityId);
    const found = new Map((await selectedPackages(tx, facilityId, ids)).map((p) => [p.id, p]));
    const open = [...found.values()].filter((p) => p.status === 'received' || p.status === 'held');
    const recipientIds = [...new Set(open.flatMap((p) => (p.recipientId ? [p.recipientId] : [])))];
    const candidates = recipientIds.length ? await reminderCandidates(tx, facilityId, recipientIds) : [];
    const wanted = new Map(candidates.map((c) => [c.recipientId, c]));
    const skipped: { packageId: string; reason: RemindSkipReason }[] = [];
    for (const id of ids) {
      const p = found.get(id);
      if (!p) skipped.push({ packageId: id, reason: 'not_found' });
      else if (p.status !== 'received' && p.status !== 'held') skipped.push({ packageId: id, reason: 'not_open' });
      else if (!p.recipientId || !p.recipientEmail) skipped.push({ packageId: id, reason: 'no_email' });
      else if (!wanted.has(p.recipientId)) skipped.push({ packageId: id, reason: 'opted_out' });
    }
    for (const c of wanted.values()) {
      await insertReminder(tx, facilityId, { id: randomUUID(), recipientId: c.recipientId, to: c.email, version: f!.syncVersion, now });
    }
    return { reminded: wanted.size, skipped };
  });
}

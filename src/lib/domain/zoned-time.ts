// Calendar dates and clock times in a facility's time zone (SPEC: a facility's days are its own),
// shared by the package export, the activity log and the reports: the instant a local day starts,
// and an instant as the facility's wall clock reads it.
import { z } from 'zod';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD ("2026-02-30" is not one). */
export function isCalendarDate(text: string): boolean {
  const m = DAY.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return d.getUTCFullYear() === +m[1]! && d.getUTCMonth() === +m[2]! - 1 && d.getUTCDate() === +m[3]!;
}

export const calendarDate = z.string().refine(isCalendarDate, 'Use a real date written YYYY-MM-DD');

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function wallClock(ms: number, timeZone: string) {
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) p[part.type] = part.value;
  return { y: +p.year!, mo: +p.month!, d: +p.day!, h: +p.hour! % 24, mi: +p.minute!, s: +p.second! };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  return Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a local calendar day starts in the zone (its first existing moment when the clocks
 * jump over midnight).
 */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const m = DAY.exec(date);
  if (!m || !isCalendarDate(date)) throw new RangeError(`Not a date: ${date}`);
  const local = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!);
  let t = local - offsetAt(local, timeZone);
  const again = local - offsetAt(t, timeZone);
  if (again !== t) t = Math.max(t, again);
  return new Date(t);
}

/** The day after a YYYY-MM-DD date. */
export function nextDate(date: string): string {
  const m = DAY.exec(date)!;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]! + 1)).toISOString().slice(0, 10);
}

/** The instants [start, end) of the local days from `from` to `to`, both included. */
export function localDayRange(from: string, to: string, timeZone: string): { start: Date; end: Date } {
  return { start: startOfLocalDay(from, timeZone), end: startOfLocalDay(nextDate(to), timeZone) };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** An instant as the zone's wall clock reads it: "2026-11-29 05:03:09" (empty for no instant). */
export function localDateTime(instant: string | Date | null | undefined, timeZone: string): string {
  if (instant == null) return '';
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) return '';
  const w = wallClock(ms, timeZone);
  return `${pad(w.y, 4)}-${pad(w.mo)}-${pad(w.d)} ${pad(w.h)}:${pad(w.mi)}:${pad(w.s)}`;
}

/** The local calendar date of an instant in the zone. */
export const localDate = (instant: string | Date, timeZone: string) => localDateTime(instant, timeZone).slice(0, 10);

// A facility's settings (http-api.md "Facility settings"): what an admin may change, and the
// bounds the settings page, the server and the database all hold to.
import { z } from 'zod';

export const PHOTO_RETENTION_DAYS = { min: 7, max: 365 } as const;
export const REMINDER_INTERVAL_HOURS = { min: 1, max: 168 } as const;

/**
 * Whether `zone` is an IANA time zone this runtime knows ("Europe/Berlin", "UTC"), by asking Intl
 * to format in it; abbreviations and offsets that are not zone names ("CET" aside) are refused.
 */
export function isTimeZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zones a picker offers: the runtime's list, with UTC (some runtimes list only "Etc/UTC"). */
export function timeZoneChoices(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

export const timeZone = z
  .string()
  .trim()
  .min(1, { message: 'Choose a time zone' })
  .max(64)
  .refine(isTimeZone, { message: 'Not a known time zone: choose one from the list (e.g. Europe/Berlin)' })
  // As the runtime spells it ("europe/berlin" → "Europe/Berlin").
  .transform((zone) => new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone);

const wholeNumber = (what: string, { min, max }: { min: number; max: number }) =>
  z
    .number({ message: `${what} must be a number` })
    .int({ message: `${what} must be a whole number` })
    .min(min, { message: `${what} must be between ${min} and ${max}` })
    .max(max, { message: `${what} must be between ${min} and ${max}` });

/** A local time of day, "HH:MM" on a 24-hour clock. */
export const LOCAL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const localTime = z.string().regex(LOCAL_TIME, { message: 'Enter a time as HH:MM (24-hour clock)' });

/**
 * Quiet hours: no notification leaves between `start` and `end`, local times in the facility's
 * time zone (a span past midnight, 22:00–07:00, is allowed); null: no quiet hours.
 */
export const quietHours = z
  .strictObject({ start: localTime, end: localTime })
  .refine((q) => q.start !== q.end, { message: 'Quiet hours must start and end at different times', path: ['end'] })
  .nullable();
export type QuietHours = z.infer<typeof quietHours>;

/** Quiet hours as a facility stores them (two columns, both set or both empty). */
export function quietHoursOf(start: string | null, end: string | null): QuietHours {
  return start && end ? { start, end } : null;
}

/** Whether the local time `hhmm` falls in the quiet hours (start included, end excluded). */
export function inQuietHours(q: QuietHours, hhmm: string): boolean {
  if (!q) return false;
  return q.start < q.end ? hhmm >= q.start && hhmm < q.end : hhmm >= q.start || hhmm < q.end;
}

/** The channels a recipient added to the directory starts with. */
export const notificationDefaults = z.strictObject({ email: z.boolean(), sms: z.boolean() });
export type NotificationDefaults = z.infer<typeof notificationDefaults>;
/** A new facility's defaults (the database's column defaults), and a device's until it has fetched its facility's. */
export const DEFAULT_NOTIFICATION_DEFAULTS: NotificationDefaults = { email: true, sms: false };

export const facilitySettingsInput = z
  .strictObject({
    name: z.string().trim().min(1, { message: 'Enter a name' }).max(120),
    timezone: timeZone,
    photoRetentionDays: wholeNumber('Photo retention (days)', PHOTO_RETENTION_DAYS),
    reminderIntervalHours: wholeNumber('Reminder interval (hours)', REMINDER_INTERVAL_HOURS),
    signatureRequired: z.boolean(),
    quietHours,
    notificationDefaults,
    /** Whether a Package Held message shows the hold note to its recipient. */
    holdNoteInNotifications: z.boolean(),
    /** Whether the AI features may call Claude for this facility (docs/ai.md); off: the local paths only. */
    aiEnabled: z.boolean(),
  })
  .partial();
export type FacilitySettingsInput = z.infer<typeof facilitySettingsInput>;

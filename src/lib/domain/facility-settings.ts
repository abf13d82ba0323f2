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

export const facilitySettingsInput = z
  .strictObject({
    name: z.string().trim().min(1, { message: 'Enter a name' }).max(120),
    timezone: timeZone,
    photoRetentionDays: wholeNumber('Photo retention (days)', PHOTO_RETENTION_DAYS),
    reminderIntervalHours: wholeNumber('Reminder interval (hours)', REMINDER_INTERVAL_HOURS),
    signatureRequired: z.boolean(),
  })
  .partial();
export type FacilitySettingsInput = z.infer<typeof facilitySettingsInput>;

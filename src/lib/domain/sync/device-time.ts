// Device clocks are wrong more often than one would think (a tablet that lost its battery boots in
// 2001). Times a device reports — when a package was received, held, delivered — stay the device's
// record of when it happened, but only within a sane window around the clock of whoever applies
// the mutation (the server, authoritatively). Everything the server acts on — tombstones, purges,
// retention, ordering — uses its own clock or version counter, never these.

/** How far back a device may date what it did: a tablet offline over a long weekend and more. */
export const DEVICE_TIME_MAX_PAST_DAYS = 30;
/** Clock skew tolerated ahead of the server. */
export const DEVICE_TIME_MAX_FUTURE_MINUTES = 10;

/** `deviceTime` clamped into [now − 30 days, now + 10 minutes], as an ISO instant. */
export function boundDeviceTime(deviceTime: string, now: string): string {
  const t = Date.parse(deviceTime);
  const n = Date.parse(now);
  const min = n - DEVICE_TIME_MAX_PAST_DAYS * 24 * 3600 * 1000;
  const max = n + DEVICE_TIME_MAX_FUTURE_MINUTES * 60 * 1000;
  if (Number.isNaN(t)) return new Date(n).toISOString();
  return new Date(Math.min(max, Math.max(min, t))).toISOString();
}

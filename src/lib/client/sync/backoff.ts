// Retry delays: exponential with "full jitter" (AWS Architecture Blog, "Exponential Backoff And
// Jitter"), capped, so a fleet of devices coming back online does not hammer the server in step.

export const MAX_BACKOFF_MS = 60_000;

export function backoffDelay(attempt: number, { baseMs = 1_000, maxMs = MAX_BACKOFF_MS, random = Math.random } = {}): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  // Half fixed, half random: never zero, never above the cap.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

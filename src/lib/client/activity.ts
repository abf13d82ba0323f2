// Reads the facility's activity log (GET /api/activity) in the route's own shape (domain/activity.ts).
import type { ActivityPage, ActivityType } from '$lib/domain/activity';
import { ApiError, toApiError } from './api';

export interface ActivityFilter {
  actorId?: string;
  type?: ActivityType;
  from?: string;
  to?: string;
}

export async function fetchActivity(filter: ActivityFilter, cursor?: string | null, limit = 50): Promise<ActivityPage> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v) q.set(k, v);
  if (cursor) q.set('cursor', cursor);
  q.set('limit', String(limit));
  let res: Response;
  try {
    res = await fetch(`/api/activity?${q}`, { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'offline', 'No connection to the server. Check the network and try again.');
  }
  if (!res.ok) throw await toApiError(res);
  return (await res.json()) as ActivityPage;
}

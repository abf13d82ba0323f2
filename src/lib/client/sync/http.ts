// The engine's transport: JSON over fetch, answers validated with the shared zod schemas, and
// every failure classified once so the engine reacts by kind, not by status code scattered around.
import type { z } from 'zod';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export type FailureKind =
  | 'network' // no answer at all
  | 'transient' // 5xx, 429: retry with backoff
  | 'signed_out' // 401
  | 'read_only' // 403 read_only
  | 'facility_mismatch' // 409 facility_mismatch
  | 'out_of_order' // 409 out_of_order
  | 'update_required' // 426
  | 'refused'; // any other 4xx, or an answer that does not parse

export class SyncHttpError extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function classify(status: number, code: string): FailureKind {
  if (status === 401) return 'signed_out';
  if (status === 403 && code === 'read_only') return 'read_only';
  if (status === 409 && code === 'facility_mismatch') return 'facility_mismatch';
  if (status === 409 && code === 'out_of_order') return 'out_of_order';
  if (status === 426) return 'update_required';
  if (status >= 500 || status === 429 || status === 408) return 'transient';
  return 'refused';
}

export interface Transport {
  baseUrl: string;
  fetch: FetchLike;
  /** Extra headers per request (tests send the session cookie and Origin; browsers need none). */
  headers?: () => Record<string, string>;
}

export async function send(
  t: Transport,
  method: string,
  path: string,
  body?: BodyInit | null,
  headers: Record<string, string> = {},
): Promise<Response> {
  try {
    return await t.fetch(`${t.baseUrl}${path}`, {
      method,
      body: body ?? undefined,
      headers: { ...t.headers?.(), ...headers },
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    throw new SyncHttpError('network', 0, 'network', e instanceof Error ? e.message : 'Network error');
  }
}

export async function failure(res: Response): Promise<SyncHttpError> {
  let body: Record<string, unknown> = {};
  try {
    body = (await res.json()) as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  const code = typeof body.error === 'string' ? body.error : `http_${res.status}`;
  const message = typeof body.message === 'string' ? body.message : `The server answered ${res.status}`;
  return new SyncHttpError(classify(res.status, code), res.status, code, message, body);
}

export async function postJson<S extends z.ZodType>(t: Transport, path: string, payload: unknown, schema: S): Promise<z.output<S>> {
  const res = await send(t, 'POST', path, JSON.stringify(payload), { 'content-type': 'application/json' });
  if (!res.ok) throw await failure(res);
  const parsed = schema.safeParse(await res.json().catch(() => undefined));
  if (!parsed.success)
    throw new SyncHttpError('refused', res.status, 'bad_response', 'The server sent an answer this app does not understand');
  return parsed.data;
}

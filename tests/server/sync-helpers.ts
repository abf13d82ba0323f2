// Helpers for sync tests: a device's view of the protocol (push, pull to the end, apply a patch).
import { randomUUID } from 'node:crypto';
import type { PatchOp } from '../../src/lib/domain/sync/protocol.ts';
import { SCHEMA_VERSION } from '../../src/lib/domain/sync/protocol.ts';
import type { Res, TestClient } from './harness.ts';

export type State = Map<string, Map<string, Record<string, unknown>>>;

export function mutation<A extends Record<string, unknown>>(id: number, name: string, args: A) {
  return { id, name, args, clientTime: new Date().toISOString() };
}

export function receiveArgs(overrides: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    trackingNumber: `1Z${randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()}`,
    carrier: 'ups',
    recipientName: 'Ada Lovelace',
    receivedAt: new Date().toISOString(),
    ...overrides,
  };
}

export class Device {
  constructor(
    readonly client: TestClient,
    readonly facilityId: string,
    readonly clientId: string = randomUUID(),
  ) {}

  push(mutations: unknown[], over: Record<string, unknown> = {}): Promise<Res> {
    return this.client.post('/api/sync/push', {
      protocolVersion: 1,
      schemaVersion: SCHEMA_VERSION,
      facilityId: this.facilityId,
      clientId: this.clientId,
      mutations,
      ...over,
    });
  }

  pull(cookie: string | null, over: Record<string, unknown> = {}): Promise<Res> {
    return this.client.post('/api/sync/pull', {
      protocolVersion: 1,
      schemaVersion: SCHEMA_VERSION,
      facilityId: this.facilityId,
      clientId: this.clientId,
      cookie,
      ...over,
    });
  }

  /** Pulls until `more` is false; returns every op, the final cookie and lastMutationId. */
  async pullAll(cookie: string | null = null) {
    const patch: PatchOp[] = [];
    let pages = 0;
    let lastMutationId = 0;
    for (;;) {
      const r = await this.pull(cookie);
      if (r.status !== 200) throw new Error(`pull → ${r.status} ${r.text}`);
      patch.push(...r.json.patch);
      cookie = r.json.cookie;
      lastMutationId = r.json.lastMutationId;
      pages++;
      if (!r.json.more) break;
      if (pages > 10_000) throw new Error('pull does not end');
    }
    return { patch, cookie: cookie!, lastMutationId, pages };
  }
}

export function applyPatch(state: State, patch: PatchOp[]): State {
  for (const op of patch) {
    if (op.op === 'clear') state.clear();
    else if (op.op === 'put') {
      if (!state.has(op.table)) state.set(op.table, new Map());
      state.get(op.table)!.set(op.id, op.row);
    } else state.get(op.table)?.delete(op.id);
  }
  return state;
}

export const rowsOf = (state: State, table: string) => state.get(table) ?? new Map<string, Record<string, unknown>>();

// Content addressing of captured photos and signatures (sync-protocol.md "Blobs": the client
// computes the SHA-256 of the bytes at capture; the server re-hashes and refuses a mismatch).
import type { PreparedBlob } from '../db/outbox';
import type { AttachmentKind } from '../../domain/sync/rows';

export async function sha256Hex(data: Blob | ArrayBuffer): Promise<string> {
  const bytes = data instanceof Blob ? await data.arrayBuffer() : data;
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Hashes a capture so it can be stored with its mutation in one transaction. */
export async function prepareBlob(data: Blob, kind: AttachmentKind): Promise<PreparedBlob> {
  return { hash: await sha256Hex(data), data, contentType: data.type || 'application/octet-stream', kind };
}

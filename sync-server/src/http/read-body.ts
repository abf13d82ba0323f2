import type { Context } from 'hono';
import { AppError } from './errors.ts';

/**
 * Reads a request body up to `max` bytes. Past the limit it keeps reading and dropping (up to a
 * cap) before answering 413: a server that stops reading mid-upload resets the connection and the
 * client never sees the answer.
 */
export async function readBodyLimited(c: Context, max: number, drainCap = max * 8): Promise<Buffer> {
  const declared = Number(c.req.header('content-length') ?? NaN);
  const stream = c.req.raw.body;
  if (!stream) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      // The client went away mid-upload: nothing is kept; it sends the whole file again.
      throw new AppError(400, 'upload_interrupted', 'The upload was cut off; send it again');
    }
    const { done, value } = chunk;
    if (done) break;
    size += value.byteLength;
    if (size <= max) chunks.push(Buffer.from(value));
    else if (size > drainCap) {
      await reader.cancel();
      break;
    }
  }
  if (size > max || declared > max) {
    throw new AppError(413, 'payload_too_large', `Uploads are limited to ${Math.round(max / 1024 / 1024)} MiB`);
  }
  return Buffer.concat(chunks, size);
}

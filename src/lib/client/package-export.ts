// Downloads the package history export (GET /api/exports/packages.csv) with progress: the body is
// read chunk by chunk, counting bytes and records (the header row is not a package), against the
// total the server announces in X-Total-Rows. The file is then saved under the server's name.
import { csvRecordCounter } from '$lib/domain/csv';
import { exportFileName, type ExportRange } from '$lib/domain/package-export';
import { localDate } from '$lib/domain/zoned-time';
import { ApiError, toApiError } from './api';

export interface ExportProgress {
  bytes: number;
  /** Packages received so far. */
  rows: number;
  /** Packages in the file, when the server said. */
  total: number | null;
}

export interface DownloadedExport {
  blob: Blob;
  fileName: string;
  rows: number;
}

const nameFrom = (disposition: string | null) => /filename="([^"]+)"/.exec(disposition ?? '')?.[1] ?? null;

export async function downloadPackageExport(
  range: ExportRange,
  opts: { hashes?: boolean; facilityCode?: string; signal?: AbortSignal; onProgress?: (p: ExportProgress) => void } = {},
): Promise<DownloadedExport> {
  const q = new URLSearchParams();
  if (range.from) q.set('from', range.from);
  if (range.to) q.set('to', range.to);
  if (opts.hashes) q.set('hashes', 'true');
  let res: Response;
  try {
    res = await fetch(`/api/exports/packages.csv?${q}`, { credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'offline', 'No connection to the server. Check the network and try again.');
  }
  if (!res.ok || !res.body) throw await toApiError(res);
  const totalHeader = res.headers.get('x-total-rows');
  const total = totalHeader != null && /^\d+$/.test(totalHeader) ? Number(totalHeader) : null;
  const counter = csvRecordCounter();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let bytes = 0;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value as Uint8Array<ArrayBuffer>);
      bytes += value.byteLength;
      const records = counter.push(value);
      opts.onProgress?.({ bytes, rows: Math.max(0, records - 1), total });
    }
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'export_interrupted', 'The download was interrupted before the end. Try again.');
  }
  const rows = Math.max(0, counter.records - 1);
  if (total != null && rows !== total) {
    throw new ApiError(0, 'export_interrupted', `The download ended after ${rows} of ${total} packages. Try again.`);
  }
  const fileName =
    nameFrom(res.headers.get('content-disposition')) ??
    exportFileName(opts.facilityCode ?? 'facility', range, localDate(new Date(), 'UTC'));
  return { blob: new Blob(chunks, { type: 'text/csv;charset=utf-8' }), fileName, rows };
}

/** Hands a downloaded file to the browser's save. */
export function saveFile(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// The CSV import screen's state: the file is read and checked on this device with the same plan
// the server runs (src/lib/domain/directory-csv.ts), so the preview shows every row's fate before
// anything is written; then the bytes go to POST /api/directory/import with upload progress.
import {
  decodeCsvBytes,
  IMPORT_MAX_BYTES,
  parseDirectoryCsv,
  planImport,
  type EntryType,
  type ImportPlan,
} from '../../domain/directory-csv';
import { ApiError, toApiError } from '../api';
import { directorySnapshot } from '../db/directory';
import type { PtpDb } from '../db/schema';

export interface ImportResult {
  total: number;
  valid: number;
  created: number;
  updated: number;
  errors: { line: number; message: string }[];
}

export class DirectoryImport {
  file = $state<File | null>(null);
  type = $state<EntryType | ''>('');
  atomic = $state(true);
  plan = $state<ImportPlan | null>(null);
  /** 0–1 while the file uploads; null otherwise. */
  progress = $state<number | null>(null);
  processing = $state(false);
  result = $state<ImportResult | null>(null);
  error = $state<unknown>(null);

  async choose(file: File | null, db: PtpDb) {
    this.file = file;
    this.result = null;
    this.error = null;
    this.plan = null;
    if (file) await this.check(db);
  }

  /** Parses and plans against the directory on this device; nothing is written. */
  async check(db: PtpDb) {
    if (!this.file) return;
    try {
      if (this.file.size > IMPORT_MAX_BYTES) throw new Error(`The file is larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MB`);
      const text = decodeCsvBytes(new Uint8Array(await this.file.arrayBuffer()));
      this.plan = planImport(parseDirectoryCsv(text), await directorySnapshot(db), () => crypto.randomUUID(), this.type || undefined);
    } catch (e) {
      this.error = e;
    }
  }

  /** Sends the file; the server decides again against its own directory and answers what it did. */
  async upload(): Promise<void> {
    const file = this.file;
    if (!file || this.progress !== null) return;
    this.error = null;
    this.result = null;
    this.progress = 0;
    const type = this.type === 'team member' ? 'team-member' : this.type;
    const query = `dryRun=false&atomic=${this.atomic}${type ? `&type=${type}` : ''}`;
    try {
      this.result = await new Promise<ImportResult>((resolve, reject) => {
        // XMLHttpRequest, not fetch: only it reports upload progress.
        const xhr = new XMLHttpRequest();
        xhr.open('POST', `/api/directory/import?${query}`);
        xhr.setRequestHeader('content-type', 'text/csv');
        xhr.upload.onprogress = (e) => {
          if (e.lengthComputable) this.progress = e.loaded / e.total;
        };
        xhr.upload.onload = () => {
          this.progress = 1;
          this.processing = true;
        };
        xhr.onerror = () =>
          reject(new ApiError(0, 'offline', 'No connection to the server: the import needs the network. Nothing was written.'));
        xhr.onload = async () => {
          const res = new Response(xhr.responseText, { status: xhr.status, headers: { 'content-type': 'application/json' } });
          if (xhr.status === 200) resolve(await res.json());
          else reject(await toApiError(res));
        };
        xhr.send(file);
      });
    } catch (e) {
      this.error = e;
    } finally {
      this.progress = null;
      this.processing = false;
    }
  }
}

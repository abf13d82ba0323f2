// Object storage behind one interface: S3 (AWS, Cloudflare R2, any S3 API) when S3_* is
// configured, a local directory otherwise. Keys start with the facility id ("<facilityId>/…"), so
// photos live under facility-specific paths. Reads go through presigned URLs that expire in minutes.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

export interface BlobStorage {
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  has(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Every key stored for one facility ("<facilityId>/…"), for deletion and storage/database audits. */
  listFacility(facilityId: string): Promise<string[]>;
  /** A URL anyone holding it may GET for `ttlSeconds`, without a session. */
  presignGet(key: string, ttlSeconds: number): Promise<string>;
}

const KEY = /^[0-9a-f-]{36}\/[0-9a-f]{64}\.(jpg|png|webp)$/;
const FACILITY_ID = /^[0-9a-f-]{36}$/;

function assertFacilityId(id: string): void {
  if (!FACILITY_ID.test(id)) throw new Error(`invalid facility id ${id}`);
}

export function assertKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`invalid blob key ${key}`);
}

export const CONTENT_TYPES: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/** Files under a directory; URLs are signed by this server with an HMAC and an expiry. */
export class LocalBlobStorage implements BlobStorage {
  constructor(
    private readonly dir: string,
    private readonly secret: string,
    private readonly routePrefix = '/api/blobs/local',
  ) {}

  private file(key: string) {
    assertKey(key);
    return path.join(this.dir, key);
  }

  async put(key: string, bytes: Buffer) {
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true });
    // Write aside, then rename (atomic on POSIX): a reader never sees half a file, and two
    // concurrent uploads of the same hash each rename a complete one.
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, bytes);
      await rename(tmp, file);
    } finally {
      await rmIfExists(tmp);
    }
  }

  async has(key: string) {
    return stat(this.file(key)).then(
      () => true,
      () => false,
    );
  }

  async delete(key: string) {
    await rmIfExists(this.file(key));
  }

  async listFacility(facilityId: string) {
    assertFacilityId(facilityId);
    // Whatever is in the facility's folder counts, a stray upload's temporary file too.
    const names = await readdir(path.join(this.dir, facilityId)).catch(() => [] as string[]);
    return names.map((n) => `${facilityId}/${n}`);
  }

  async read(key: string): Promise<Buffer | null> {
    return readFile(this.file(key)).catch(() => null);
  }

  async presignGet(key: string, ttlSeconds: number) {
    assertKey(key);
    const exp = Math.floor(Date.now() / 1000) + ttlSeconds;
    return `${this.routePrefix}/${key}?exp=${exp}&sig=${this.sign(key, exp)}`;
  }

  /** Checks a signature and expiry (constant-time compare). */
  verify(key: string, exp: string | undefined, sig: string | undefined): 'ok' | 'expired' | 'invalid' {
    if (!exp || !sig || !/^\d{1,12}$/.test(exp) || !/^[0-9a-f]{64}$/.test(sig)) return 'invalid';
    const expected = Buffer.from(this.sign(key, Number(exp)), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(sig, 'hex'))) return 'invalid';
    return Number(exp) < Date.now() / 1000 ? 'expired' : 'ok';
  }

  private sign(key: string, exp: number) {
    return createHmac('sha256', this.secret).update(`blob\n${key}\n${exp}`).digest('hex');
  }
}

async function rmIfExists(file: string) {
  await rm(file, { force: true });
}

export interface S3Settings {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

export class S3BlobStorage implements BlobStorage {
  private readonly s3: S3Client;
  constructor(private readonly settings: S3Settings) {
    this.s3 = new S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      // Checksums only where the API requires them: S3-compatible stores (R2, MinIO, older
      // gateways) do not all accept the SDK's default CRC headers, and presigned GET URLs then
      // carry no x-amz-checksum-mode parameter.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    });
  }

  async put(key: string, bytes: Buffer, contentType: string) {
    assertKey(key);
    await this.s3.send(new PutObjectCommand({ Bucket: this.settings.bucket, Key: key, Body: bytes, ContentType: contentType }));
  }

  async has(key: string) {
    assertKey(key);
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: key }));
      return true;
    } catch (e) {
      if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw e;
    }
  }

  async delete(key: string) {
    assertKey(key);
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: key }));
  }

  async listFacility(facilityId: string) {
    assertFacilityId(facilityId);
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.settings.bucket, Prefix: `${facilityId}/`, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  presignGet(key: string, ttlSeconds: number) {
    assertKey(key);
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.settings.bucket, Key: key }), { expiresIn: ttlSeconds });
  }
}

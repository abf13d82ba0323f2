// Server-side processing of every uploaded photo and signature with sharp (sync-protocol.md
// "Blobs"; privacy policy: "Photos are processed (resized, compressed) server-side"): only real
// images, no decompression bombs, orientation applied, all metadata (EXIF, GPS, ICC, XMP) removed,
// at most 1,600 px on the long side; photos become JPEG, signatures stay lossless PNG.
import sharp, { type Metadata } from 'sharp';

export const MAX_INPUT_PIXELS = 40_000_000; // a 12 MP camera is 12,000,000; 40 MP leaves room
export const MAX_EDGE = 1600;

/**
 * Photos are JPEG, not WebP: every viewer decodes it (mail clients, PDF exports, old Safari), and
 * WebP at effort 4 cost ~1.5x the time for ~35% fewer bytes. Quality 80 with mozjpeg's trellis
 * quantisation, its quantisation table and overshoot deringing (~40% smaller than plain libjpeg at
 * the same quality); mozjpeg's scan optimisation is left out: it saved a further ~7% for ~30% more
 * time (bench/photo-processing.ts).
 */
export const PHOTO_JPEG = {
  quality: 80,
  progressive: true,
  optimiseCoding: true,
  trellisQuantisation: true,
  overshootDeringing: true,
  quantisationTable: 3,
  optimiseScans: false,
} as const;

export type ImageError = { status: 413 | 415; code: 'image_too_large' | 'unsupported_media_type'; message: string };

export class ImageRejected extends Error {
  constructor(readonly detail: ImageError) {
    super(detail.message);
  }
}

export type SourceFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'heif';

/** The image format by magic number, whatever the request claims. */
export function sniffImage(b: Buffer): SourceFormat | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  if (b.length >= 6 && b.toString('latin1', 0, 4) === 'GIF8') return 'gif';
  if (b.length >= 12 && b.toString('latin1', 4, 8) === 'ftyp' && /^(heic|heix|hevc|mif1|msf1|avif|avis)$/.test(b.toString('latin1', 8, 12)))
    return 'heif';
  return null;
}

export interface ProcessedImage {
  data: Buffer;
  contentType: 'image/jpeg' | 'image/png';
  ext: 'jpg' | 'png';
  width: number;
  height: number;
}

export async function processImage(input: Buffer, opts: { signature?: boolean } = {}): Promise<ProcessedImage> {
  const format = sniffImage(input);
  if (!format) {
    throw new ImageRejected({
      status: 415,
      code: 'unsupported_media_type',
      message: 'Only JPEG, PNG, WebP, GIF and HEIC/AVIF images are accepted',
    });
  }
  let meta: Metadata;
  try {
    // Reading the header decodes no pixels; the size check comes before any decode.
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw new ImageRejected({ status: 415, code: 'unsupported_media_type', message: 'The file is not a readable image' });
  }
  if (!meta.width || !meta.height || meta.width * meta.height > MAX_INPUT_PIXELS) {
    throw new ImageRejected({
      status: 413,
      code: 'image_too_large',
      message: `Images are limited to ${MAX_INPUT_PIXELS / 1e6} megapixels`,
    });
  }
  const signature = opts.signature || (format === 'png' && meta.hasAlpha === true);
  try {
    // sharp writes no metadata unless asked (withMetadata/keepExif), so EXIF and GPS are dropped.
    // An embedded sRGB profile (Android phones, and anything sharp itself wrote) needs no colour
    // conversion, which costs ~130 ms per 12 MP photo.
    // Another profile (an iPhone's Display P3) is converted after the resize, on ~2 MP instead of
    // 12, in the same pipeline: the input profile is not applied on load (`ignoreIcc`) but stays
    // attached to the pixels, and `withIccProfile('srgb')` converts from that embedded profile to
    // sRGB just before encoding and tags the JPEG as sRGB (libvips icc_transform with `embedded`).
    // Resizing in the camera's colour space differs from resizing in sRGB by under 0.5 of 255 per
    // channel on average (tests/server/blobs.test.ts, bench/photo-processing.ts --icc p3).
    const srgb = isSrgbProfile(meta.icc);
    const convertAfterResize = !signature && !srgb && meta.icc !== undefined;
    let pipeline = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', ignoreIcc: srgb || convertAfterResize })
      .rotate()
      .resize(MAX_EDGE, MAX_EDGE, { fit: 'inside', withoutEnlargement: true });
    if (convertAfterResize) pipeline = pipeline.withIccProfile('srgb');
    const { data, info } = signature
      ? await pipeline.png({ compressionLevel: 9, palette: false }).toBuffer({ resolveWithObject: true })
      : await pipeline.flatten({ background: '#ffffff' }).jpeg(PHOTO_JPEG).toBuffer({ resolveWithObject: true });
    return signature
      ? { data, contentType: 'image/png', ext: 'png', width: info.width, height: info.height }
      : { data, contentType: 'image/jpeg', ext: 'jpg', width: info.width, height: info.height };
  } catch (e) {
    if (/pixel limit/i.test((e as Error).message)) {
      throw new ImageRejected({
        status: 413,
        code: 'image_too_large',
        message: `Images are limited to ${MAX_INPUT_PIXELS / 1e6} megapixels`,
      });
    }
    throw new ImageRejected({ status: 415, code: 'unsupported_media_type', message: 'The image could not be decoded' });
  }
}

/** Whether an ICC profile is an RGB profile whose description names sRGB (ICC.1 §7.2, §9.2.41). */
export function isSrgbProfile(icc: Buffer | undefined): boolean {
  if (!icc || icc.length < 132 || icc.toString('latin1', 16, 20) !== 'RGB ') return false;
  const tags = icc.readUInt32BE(128);
  for (let i = 0; i < tags && 144 + i * 12 <= icc.length; i++) {
    const entry = 132 + i * 12;
    if (icc.toString('latin1', entry, entry + 4) !== 'desc') continue;
    const start = icc.readUInt32BE(entry + 4);
    const desc = icc.subarray(start, start + icc.readUInt32BE(entry + 8));
    // 'desc' (ICC v2) holds ASCII, 'mluc' (v4) UTF-16BE.
    return desc.includes('sRGB', 0, 'latin1') || desc.includes(Buffer.from([0, 0x73, 0, 0x52, 0, 0x47, 0, 0x42]));
  }
  return false;
}

// The label crop as it goes to Claude (docs/ai.md): a real JPEG or PNG, at most AI_IMAGE_MAX_EDGE
// on its long side, and no metadata (EXIF can carry where and when the photo was taken). A crop
// that is already small and bare is sent byte for byte; anything else is re-encoded with sharp.
import sharp, { type Metadata } from 'sharp';
import { AI_IMAGE_MAX_EDGE } from '../../../src/lib/domain/ai.ts';
import { MAX_INPUT_PIXELS, sniffImage } from '../blobs/process-image.ts';
import { AppError } from '../http/errors.ts';

export interface LabelCrop {
  data: Buffer;
  mediaType: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
  /** Whether the bytes differ from those posted (shrunk or stripped). */
  reencoded: boolean;
}

export async function prepareLabelCrop(input: Buffer): Promise<LabelCrop> {
  const format = sniffImage(input);
  if (format !== 'jpeg' && format !== 'png')
    throw new AppError(415, 'unsupported_media_type', 'Send the label crop as a JPEG or PNG image');
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  } catch {
    throw new AppError(400, 'invalid_image', 'The label crop is not a readable image');
  }
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) throw new AppError(400, 'invalid_image', 'The label crop is not a readable image');
  const mediaType = format === 'png' ? 'image/png' : 'image/jpeg';
  const bare = !meta.exif && !meta.xmp && !meta.iptc && (meta.orientation ?? 1) === 1;
  if (bare && Math.max(width, height) <= AI_IMAGE_MAX_EDGE) {
    // Sent as it is, so it must be whole: a cut-off upload is refused here, not by Claude. (Its end
    // marker is checked, not a full decode: that cost ~50 ms a crop, bench/ai-label.ts.)
    if (!complete(input, format)) throw new AppError(400, 'invalid_image', 'The label crop is cut off; send it again');
    return { data: input, mediaType, width, height, reencoded: false };
  }
  try {
    const pipeline = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'truncated' })
      .autoOrient()
      .resize({ width: AI_IMAGE_MAX_EDGE, height: AI_IMAGE_MAX_EDGE, fit: 'inside', withoutEnlargement: true });
    const { data, info } = await (format === 'png' ? pipeline.png() : pipeline.jpeg({ quality: 85, mozjpeg: true })).toBuffer({
      resolveWithObject: true,
    });
    return { data, mediaType, width: info.width, height: info.height, reencoded: true };
  } catch {
    throw new AppError(400, 'invalid_image', 'The label crop is not a readable image');
  }
}

/** Whether the file ends as its format ends: JPEG's EOI marker, PNG's IEND chunk. */
function complete(b: Buffer, format: 'jpeg' | 'png'): boolean {
  if (format === 'jpeg') {
    // Some encoders pad after EOI; look at the last few bytes.
    const tail = b.subarray(Math.max(0, b.length - 64));
    for (let i = tail.length - 2; i >= 0; i--) if (tail[i] === 0xff && tail[i + 1] === 0xd9) return true;
    return false;
  }
  return b.length >= 12 && b.subarray(b.length - 12).equals(Buffer.from('0000000049454e44ae426082', 'hex'));
}

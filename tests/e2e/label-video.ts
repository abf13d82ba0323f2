// A carrier label as a camera would film it, for Chromium's fake camera
// (--use-file-for-fake-video-capture): barcodes drawn by bwip-js on a white label, laid out with
// sharp, written as a Y4M video (YUV4MPEG2, 4:2:0, the format Chromium's file capture reads).
import bwipjs from 'bwip-js/node';
import { writeFileSync } from 'node:fs';
import sharp from 'sharp';

export interface LabelBarcode {
  bcid: 'code128' | 'qrcode' | 'datamatrix' | 'pdf417' | 'code39';
  text: string;
  /** Top-left corner on the label, in pixels. */
  left: number;
  top: number;
  scale?: number;
}

/** The label as raw RGB pixels, `width` × `height`. */
export async function labelImage(width: number, height: number, codes: LabelBarcode[]): Promise<Buffer> {
  const layers = await Promise.all(
    codes.map(async (c) => ({
      input: await bwipjs.toBuffer({
        bcid: c.bcid,
        text: c.text,
        scale: c.scale ?? 3,
        ...(c.bcid === 'code128' || c.bcid === 'code39' ? { height: 18 } : {}),
        paddingwidth: 4,
        paddingheight: 4,
        backgroundcolor: 'FFFFFF',
      }),
      left: c.left,
      top: c.top,
    })),
  );
  return sharp({ create: { width, height, channels: 3, background: { r: 250, g: 250, b: 246 } } })
    .composite(layers)
    .removeAlpha()
    .raw()
    .toBuffer();
}

/** RGB (8-bit, packed) to I420 planes, full-range BT.601 as JPEG uses (the header says C420jpeg). */
export function rgbToI420(rgb: Buffer, width: number, height: number): Buffer {
  const ySize = width * height;
  const cw = width / 2;
  const ch = height / 2;
  const out = Buffer.alloc(ySize + 2 * cw * ch);
  for (let i = 0; i < ySize; i++) {
    const r = rgb[3 * i]!;
    const g = rgb[3 * i + 1]!;
    const b = rgb[3 * i + 2]!;
    out[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
  }
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dx, dy] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ] as const) {
        const p = 3 * ((2 * y + dy) * width + 2 * x + dx);
        r += rgb[p]!;
        g += rgb[p + 1]!;
        b += rgb[p + 2]!;
      }
      r /= 4;
      g /= 4;
      b /= 4;
      const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
      out[ySize + y * cw + x] = clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
      out[ySize + cw * ch + y * cw + x] = clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
    }
  }
  return out;
}

/** Writes `frames` copies of the picture as a Y4M file at `fps` (the fake camera loops it). */
export function writeY4m(file: string, rgb: Buffer, width: number, height: number, frames = 3, fps = 10) {
  if (width % 2 || height % 2) throw new Error('4:2:0 needs even dimensions');
  const planes = rgbToI420(rgb, width, height);
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`, 'ascii')];
  for (let i = 0; i < frames; i++) parts.push(Buffer.from('FRAME\n', 'ascii'), planes);
  writeFileSync(file, Buffer.concat(parts));
}

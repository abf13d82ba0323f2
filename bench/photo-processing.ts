// Server-side photo processing (sync-server/src/blobs/process-image.ts) of one 12-megapixel camera
// JPEG: 4000 × 3000, EXIF orientation 6 (a phone held upright), GPS and an sRGB ICC profile (or
// Display P3 with --icc p3), made of gradients, shapes
// and per-pixel sensor noise so it compresses like a photo rather than a flat test card.
//   npx tsx bench/photo-processing.ts [--runs 15] [--icc srgb|p3] [--save-input /tmp/photo.jpg]
// Prints one JSON line (ms); bench/README.md records results. Target: median ≤ 250 ms.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { isSrgbProfile, MAX_EDGE, processImage } from '../sync-server/src/blobs/process-image.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const RUNS = arg('runs', 15);
const iccArg = process.argv.indexOf('--icc');
const ICC = iccArg > 0 ? process.argv[iccArg + 1]! : 'srgb';
const WIDTH = 4000;
const HEIGHT = 3000;

/** A deterministic "photo": lit gradients, a few soft-edged objects, fine texture and noise. */
async function cameraJpeg(): Promise<Buffer> {
  const raw = Buffer.alloc(WIDTH * HEIGHT * 3);
  let seed = 0x2545f491;
  const rand = () => {
    // xorshift32: fast, deterministic, good enough for sensor noise
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x1_0000_0000;
  };
  const blobs = Array.from({ length: 24 }, () => ({
    x: rand() * WIDTH,
    y: rand() * HEIGHT,
    r: 150 + rand() * 600,
    c: [rand() * 255, rand() * 255, rand() * 255],
  }));
  for (let y = 0; y < HEIGHT; y++) {
    const vy = y / HEIGHT;
    for (let x = 0; x < WIDTH; x++) {
      const vx = x / WIDTH;
      // Vignetted light falling across a surface, with a wood-grain-like texture.
      const light = 0.55 + 0.45 * Math.cos((vx - 0.4) * 2.2) * Math.cos((vy - 0.35) * 1.8);
      const grain = 14 * Math.sin(x * 0.045 + Math.sin(y * 0.011) * 9) + 6 * Math.sin(y * 0.37 + x * 0.013);
      let r = 170 * light + grain;
      let g = 130 * light + grain * 0.8;
      let b = 90 * light + grain * 0.5;
      for (const o of blobs) {
        const dx = x - o.x;
        const dy = y - o.y;
        const d2 = dx * dx + dy * dy;
        if (d2 < o.r * o.r) {
          const edge = Math.min(1, (o.r - Math.sqrt(d2)) / 12); // soft edge, like a focused object
          r += (o.c[0]! * light - r) * edge;
          g += (o.c[1]! * light - g) * edge;
          b += (o.c[2]! * light - b) * edge;
        }
      }
      const n = (rand() - 0.5) * 18; // luminance noise
      const i = (y * WIDTH + x) * 3;
      raw[i] = clamp(r + n + (rand() - 0.5) * 8);
      raw[i + 1] = clamp(g + n + (rand() - 0.5) * 8);
      raw[i + 2] = clamp(b + n + (rand() - 0.5) * 8);
    }
  }
  return sharp(raw, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
    .withExif({ IFD0: { Make: 'Bench', Model: 'Phone 12MP' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
    .withMetadata({ orientation: 6 })
    .withIccProfile(ICC) // what phones embed: sRGB (Android), Display P3 (iPhone)
    .jpeg({ quality: 92, chromaSubsampling: '4:2:0' })
    .toBuffer();
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v | 0);

const input = await cameraJpeg();
const save = process.argv.indexOf('--save-input');
if (save > 0) await import('node:fs/promises').then((fs) => fs.writeFile(process.argv[save + 1]!, input));
const inMeta = await sharp(input).metadata();

// Warm-up (library load, thread pool, first-decode caches), then the measured runs.
const warm = await processImage(input);
if (Math.max(warm.width, warm.height) > MAX_EDGE || warm.width !== 1200 || warm.height !== 1600) {
  throw new Error(`unexpected output ${warm.width}×${warm.height}`);
}
const outMeta = await sharp(warm.data).metadata();
if (outMeta.exif || outMeta.orientation) throw new Error('metadata survived processing');
// A converted (Display P3) photo is tagged sRGB; an sRGB one carries no profile.
if (ICC === 'p3' ? !isSrgbProfile(outMeta.icc) : outMeta.icc) throw new Error('the output is not (only) sRGB-tagged');

const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const started = performance.now();
  await processImage(input);
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
const pick = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
const round = (v: number) => Math.round(v * 10) / 10;

console.log(
  JSON.stringify({
    bench: 'photo-processing',
    date: new Date().toISOString(),
    machine: `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
    sharp: sharp.versions.sharp,
    libvips: sharp.versions.vips,
    concurrency: sharp.concurrency(),
    input: { width: inMeta.width, height: inMeta.height, orientation: inMeta.orientation, icc: ICC, bytes: input.length },
    output: { width: warm.width, height: warm.height, bytes: warm.data.length },
    runs: RUNS,
    median: round(times.length % 2 ? times[(times.length - 1) / 2]! : (times[times.length / 2 - 1]! + times[times.length / 2]!) / 2),
    p95: round(pick(0.95)),
    min: round(times[0]!),
    max: round(times[times.length - 1]!),
  }),
);

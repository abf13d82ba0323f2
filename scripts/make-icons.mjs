// Renders the app icons in static/icons from one SVG (run once; the PNGs are committed).
import sharp from 'sharp';

const svg = (padding) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">
  <rect width="512" height="512" rx="${padding ? 0 : 96}" fill="#1f4e79"/>
  <g transform="translate(256 262) scale(${padding ? 0.72 : 1}) translate(-256 -262)">
    <path d="M256 96 412 170v180L256 424 100 350V170z" fill="#f4b942"/>
    <path d="M256 96 412 170 256 244 100 170z" fill="#ffd67a"/>
    <path d="M256 244v180" stroke="#1f4e79" stroke-width="14"/>
    <path d="M178 133 334 207v58" stroke="#1f4e79" stroke-width="14" fill="none"/>
  </g>
</svg>`;

const out = [
  ['static/icons/icon-192.png', 192, false],
  ['static/icons/icon-512.png', 512, false],
  ['static/icons/maskable-512.png', 512, true],
  ['static/icons/apple-touch-icon.png', 180, true],
];
for (const [file, size, maskable] of out) {
  await sharp(Buffer.from(svg(maskable)))
    .resize(size, size)
    .png()
    .toFile(file);
  console.log('wrote', file);
}

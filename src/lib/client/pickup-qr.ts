// The QR of a pickup code as drawable modules: the symbol comes from the qrcode library (error
// correction M: a phone screen with a crack or glare still reads), the drawing is ours (an SVG
// path with attributes only, which the app's Content-Security-Policy allows).
import QRCode from 'qrcode';

export interface QrDrawing {
  /** Modules per side (without the quiet zone). */
  size: number;
  /** One SVG path of the dark modules, one unit per module. */
  d: string;
  /** Whether the module at (x, y) is dark. */
  dark(x: number, y: number): boolean;
}

export function qrDrawing(text: string): QrDrawing {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  let d = '';
  for (let y = 0; y < modules.size; y++) {
    for (let x = 0; x < modules.size; x++) if (modules.get(x, y)) d += `M${x} ${y}h1v1h-1z`;
  }
  return { size: modules.size, d, dark: (x, y) => Boolean(modules.get(x, y)) };
}

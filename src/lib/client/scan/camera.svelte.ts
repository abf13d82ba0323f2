// Camera scanning, the state behind the CameraScanner component: the rear camera's stream into a
// <video>, the barcode reader (./barcode.ts, loaded when the camera opens) run on frame after
// frame, the best code of each frame (domain chooseScan), a cooldown so a label in view is taken
// once, a beep and a buzz when one is taken, and the torch where the camera has one.
import type { Rect } from '$lib/domain/label-crop';
import { chooseScan, ScanCooldown } from '$lib/domain/scan-choice';
import { barcodeReader, type BarcodeReader } from './barcode';

export type CameraPhase = 'closed' | 'starting' | 'scanning' | 'blocked' | 'none' | 'failed';

/** Pause between two reads of the video: enough for a tablet to keep up, fast enough to feel instant. */
const READ_EVERY_MS = 120;

interface TorchCapabilities extends MediaTrackCapabilities {
  torch?: boolean;
}

export class CameraScan {
  phase = $state<CameraPhase>('closed');
  /** What a person reads when the camera cannot be used. */
  message = $state<string | null>(null);
  torchAvailable = $state(false);
  torchOn = $state(false);
  /** The last code taken, shown under the picture. */
  lastCode = $state<string | null>(null);

  /** The barcode chosen in the latest frames and where it was (video pixels): the label crop's anchor. */
  private seen: { code: string; box: Rect; at: number } | null = null;

  private stream: MediaStream | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private audio: AudioContext | null = null;
  private cooldown = new ScanCooldown();
  private run = 0;

  constructor(
    private readonly onScan: (code: string) => void,
    /** Codes taken whatever their format (a pickup code's QR), besides labels. */
    private readonly wanted?: (code: string) => boolean,
  ) {}

  get open(): boolean {
    return this.phase === 'starting' || this.phase === 'scanning';
  }

  /** Opens the rear camera into `video` and starts reading. Called from a tap (audio may start). */
  async start(video: HTMLVideoElement) {
    if (this.open) return;
    const run = ++this.run;
    this.phase = 'starting';
    this.message = null;
    this.lastCode = null;
    this.audio ??= typeof AudioContext === 'function' ? new AudioContext() : null;
    if (!navigator.mediaDevices?.getUserMedia) return this.fail('none');
    let reader: BarcodeReader;
    try {
      // Both at once: the reader's wasm loads while the person answers the permission prompt.
      const [stream, loaded] = await Promise.all([
        navigator.mediaDevices.getUserMedia({
          video: { facingMode: { ideal: 'environment' }, width: { ideal: 1920 }, height: { ideal: 1080 } },
          audio: false,
        }),
        barcodeReader(),
      ]);
      this.stream = stream;
      reader = loaded;
      if (run !== this.run) return this.release();
      video.srcObject = stream;
      await video.play();
    } catch (e) {
      this.release();
      if (run !== this.run) return;
      const name = e instanceof DOMException ? e.name : '';
      if (name === 'NotAllowedError' || name === 'SecurityError') return this.fail('blocked');
      if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError') return this.fail('none');
      console.error('[camera]', e);
      return this.fail('failed');
    }
    const track = this.stream?.getVideoTracks()[0];
    const caps = (track?.getCapabilities?.() ?? {}) as TorchCapabilities;
    this.torchAvailable = caps.torch === true;
    this.phase = 'scanning';
    this.loop(video, reader, run);
  }

  private loop(video: HTMLVideoElement, reader: BarcodeReader, run: number) {
    const next = () => {
      if (run === this.run) this.timer = setTimeout(read, READ_EVERY_MS);
    };
    const read = async () => {
      if (run !== this.run) return;
      try {
        if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0) {
          const codes = await reader.detect(video);
          const choice = chooseScan(codes, this.wanted);
          const box = choice && codes.find((c) => c.rawValue.includes(choice.code))?.boundingBox;
          if (choice && box)
            this.seen = { code: choice.code, box: { x: box.x, y: box.y, width: box.width, height: box.height }, at: performance.now() };
          if (run === this.run && choice && this.cooldown.take(choice.code, performance.now())) {
            this.lastCode = choice.tracking?.trackingNumber ?? choice.code;
            this.signal();
            this.onScan(choice.code);
          }
        }
      } catch (e) {
        // One unreadable frame (the video was resized, the page hidden) is not the end of scanning.
        console.warn('[camera] frame', e);
      }
      next();
    };
    next();
  }

  /** A short beep and a buzz: the operator need not look at the screen. */
  private signal() {
    navigator.vibrate?.(60);
    const ctx = this.audio;
    if (!ctx) return;
    if (ctx.state === 'suspended') void ctx.resume();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 1760;
    gain.gain.setValueAtTime(0.15, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.09);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.1);
  }

  /** The barcode seen in the last `withinMs` and its box, for cropping the label around it. */
  recentBarcode(withinMs = 2500): { code: string; box: Rect } | null {
    return this.seen && performance.now() - this.seen.at <= withinMs ? this.seen : null;
  }

  async toggleTorch() {
    const track = this.stream?.getVideoTracks()[0];
    if (!track || !this.torchAvailable) return;
    const on = !this.torchOn;
    try {
      await track.applyConstraints({ advanced: [{ torch: on } as MediaTrackConstraintSet] });
      this.torchOn = on;
    } catch {
      this.torchAvailable = false;
    }
  }

  stop() {
    this.run++;
    this.release();
    this.phase = 'closed';
  }

  /** Frees the camera and the audio output (the page is left, or the camera closed). */
  destroy() {
    this.stop();
    void this.audio?.close();
    this.audio = null;
  }

  private release() {
    clearTimeout(this.timer);
    this.seen = null;
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.stream = null;
    this.torchOn = false;
    this.torchAvailable = false;
  }

  private fail(phase: 'blocked' | 'none' | 'failed') {
    this.phase = phase;
    this.message = {
      blocked: 'The camera is blocked for this site. Allow it in the browser’s site settings, or scan or type the tracking number.',
      none: 'No camera is available on this device. Scan or type the tracking number.',
      failed: 'The camera could not be started. Scan or type the tracking number.',
    }[phase];
  }
}

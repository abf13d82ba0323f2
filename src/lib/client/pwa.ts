// Registers the service worker with workbox-window. A new version is announced ("Reload to
// update") and only takes over when the person agrees, never in the middle of a task.
import { Workbox } from 'workbox-window';

export interface PwaEvents {
  onUpdateReady(apply: () => void): void;
  onSyncNudge(): void;
}

export function registerServiceWorker(events: PwaEvents): void {
  if (!('serviceWorker' in navigator)) return;
  const wb = new Workbox('/service-worker.js', { type: 'module' });
  wb.addEventListener('waiting', () => {
    events.onUpdateReady(() => {
      wb.addEventListener('controlling', () => window.location.reload());
      wb.messageSkipWaiting();
    });
  });
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data?.type === 'SYNC') events.onSyncNudge();
  });
  void wb.register();
}

// App state of the in-app bell (style.md habit 11): the signed-in user's notifications in the active
// facility, asked for while the app is open and visible. Polling backs off on failures
// (bellPollDelay) and a failure is silent: offline, the bell keeps what it last knew and the rest
// of the app works as it does.
import { bellPollDelay, type BellItem } from '../../domain/notifications-api';
import { api } from '../api';

export class Bell {
  items = $state<BellItem[]>([]);
  unread = $state(0);
  /** Whether the last attempt reached the server (the panel says when it did not). */
  reachable = $state(true);
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private readonly onVisible = () => {
    if (document.visibilityState === 'visible') void this.refresh();
  };
  private readonly onOnline = () => void this.refresh();

  start() {
    if (this.running) return;
    this.running = true;
    document.addEventListener('visibilitychange', this.onVisible);
    window.addEventListener('online', this.onOnline);
    void this.refresh();
  }

  stop() {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    document.removeEventListener('visibilitychange', this.onVisible);
    window.removeEventListener('online', this.onOnline);
    this.items = [];
    this.unread = 0;
  }

  async refresh() {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    try {
      if (navigator.onLine === false) throw new Error('offline');
      const page = await api.bell();
      this.items = page.items;
      this.unread = page.unread;
      this.failures = 0;
      this.reachable = true;
    } catch {
      this.failures++;
      this.reachable = false;
    }
    if (this.running && document.visibilityState !== 'hidden')
      this.timer = setTimeout(() => void this.refresh(), bellPollDelay(this.failures));
  }

  async markRead(ids: string[] | 'all') {
    const { unread } = await api.markRead(ids === 'all' ? { all: true } : { ids });
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a timestamp taken once, not state
    const now = new Date().toISOString();
    this.items = this.items.map((i) => (ids === 'all' || ids.includes(i.id) ? { ...i, readAt: i.readAt ?? now } : i));
    this.unread = unread;
  }
}

export const bell = new Bell();

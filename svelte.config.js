import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
  preprocess: vitePreprocess(),
  kit: {
    // A client-rendered PWA: every route falls back to the app shell, which the Hono server serves.
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: false }),
    files: { serviceWorker: 'service-worker/index.ts' },
    // Registered with workbox-window (src/lib/client/pwa.ts) so updates are announced, not swapped.
    serviceWorker: { register: false },
  },
};

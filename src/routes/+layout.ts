// A client-rendered PWA: no server rendering, no prerendering; the app shell handles every route.
export const ssr = false;
export const prerender = false;

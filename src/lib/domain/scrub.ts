// What an error report may carry (privacy policy: "Sentry — for error tracking ... No package data
// is included in error reports"). The server (@sentry/node) and the app (@sentry/sveltekit) pass
// every event and breadcrumb through these functions in `beforeSend` and `beforeBreadcrumb`.
//
// An allowlist, not a denylist: a report keeps error types, stack frames (file, function, line),
// the SDK's description of the runtime, and our own method/route tags. Everything free-form —
// messages, exception values, extra data, request bodies, headers, cookies, query strings, user,
// local variables, source lines, console output — is dropped, because a recipient's name or a note
// cannot be recognized by pattern. URLs that stay (frames, navigations, fetches) lose their query
// and fragment, and path segments that could be an id, a hash, a token or a tracking number.
//
// No Sentry import: the shapes below are the parts of Sentry's event protocol we keep
// (https://develop.sentry.dev/sdk/data-model/event-payloads/).

type Json = Record<string, unknown>;

/**
 * The SDKs' `dataCollection` option (Sentry 10.7x and 11): collect nothing beyond the error and
 * its stack. Sentry 11 collects headers, cookies, bodies, query strings, user data, local variables
 * and source lines by default; the scrubber would drop them, but they are better never gathered.
 */
export const COLLECT_NOTHING = {
  userInfo: false,
  cookies: false,
  httpHeaders: false,
  httpBodies: [],
  urlQueryParams: false,
  graphQL: { document: false, variables: false },
  genAI: { inputs: false, outputs: false },
  databaseQueryData: false,
  queues: false,
  stackFrameVariables: false,
  frameContextLines: 0,
};

/** Stands in for every dropped message and exception value. */
export const REDACTED = '[redacted]';

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

/** Copies the listed keys whose values pass `keep` (undefined results are left out). */
function pick(source: unknown, keys: readonly string[], keep: (v: unknown, key: string) => unknown): Json | undefined {
  if (!isObject(source)) return undefined;
  const out: Json = {};
  for (const key of keys) {
    const value = keep(source[key], key);
    if (value !== undefined) out[key] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

/** A short code-like token (error codes such as P2002, 23505, ECONNRESET; mechanism types). */
const CODE = /^[A-Za-z][\w.-]{0,63}$|^\d{5}$/;
const code = (v: unknown) => (typeof v === 'string' && CODE.test(v) ? v : undefined);
const method = (v: unknown) => (typeof v === 'string' && /^[A-Z]{3,7}$/.test(v) ? v : undefined);

/**
 * A path segment that names a place in the app or the API (`packages`, `_app`, `sync`), or a route
 * pattern's parameter or wildcard (`:sha256`, `*`), as opposed to a value (an id, a hash, a token, a
 * tracking number, a name in a URL). Lowercase words only: anything with a digit, an uppercase
 * letter or a percent-escape becomes `:redacted`.
 */
const ROUTE_WORD = /^[a-z_][a-z_-]{0,31}$|^:[A-Za-z][A-Za-z0-9]{0,31}$|^\*$/;

/** Removes query, fragment and credentials; replaces value-like path segments. */
export function scrubUrl(url: string): string {
  const noQuery = url.split(/[?#]/, 1)[0] ?? '';
  const m = /^([a-z][a-z0-9+.-]*:\/\/)(?:[^/@]*@)?([^/]*)(.*)$/i.exec(noQuery);
  const [prefix, path] = m ? [`${m[1]}${m[2]}`, m[3] ?? ''] : ['', noQuery];
  const segments = path.split('/').map((s) => (s === '' || ROUTE_WORD.test(s) ? s : ':redacted'));
  return prefix + segments.join('/');
}

/**
 * Code locations keep their file name (a build artefact such as `_app/immutable/chunks/B1x2.js` or
 * `dist/server/main.js`, needed to read the stack) but lose query strings and fragments.
 */
function scrubFileName(v: unknown): string | undefined {
  const s = str(v);
  if (s === undefined) return undefined;
  return s.split(/[?#]/, 1)[0]!.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

const scrubFunction = (v: unknown) => {
  const s = str(v);
  // Function names come from code; a long or odd one is more likely something else.
  return s !== undefined && s.length <= 200 && !/[\s@]/.test(s.trim()) ? s.trim() : undefined;
};

function scrubFrame(frame: unknown): Json | undefined {
  return pick(frame, ['filename', 'abs_path', 'module', 'function', 'lineno', 'colno', 'in_app', 'platform'], (v, key) => {
    if (key === 'filename' || key === 'abs_path') return scrubFileName(v);
    if (key === 'module') return scrubFileName(v);
    if (key === 'function') return scrubFunction(v);
    if (key === 'in_app') return bool(v);
    if (key === 'platform') return code(v);
    return num(v);
  });
}

function scrubStacktrace(st: unknown): Json | undefined {
  if (!isObject(st) || !Array.isArray(st.frames)) return undefined;
  return { frames: st.frames.map(scrubFrame).filter(Boolean) };
}

function scrubMechanism(m: unknown): Json | undefined {
  return pick(m, ['type', 'handled', 'synthetic', 'source', 'exception_id', 'parent_id', 'is_exception_group'], (v, key) =>
    key === 'handled' || key === 'synthetic' || key === 'is_exception_group' ? bool(v) : key.endsWith('_id') ? num(v) : code(v),
  );
}

function scrubException(e: unknown): Json | undefined {
  if (!isObject(e)) return undefined;
  const out: Json = { value: REDACTED };
  const type = str(e.type);
  // The type is a class name (TypeError, PrismaClientKnownRequestError); anything else is dropped.
  if (type && /^[A-Za-z_$][\w$.]{0,99}$/.test(type)) out.type = type;
  const mechanism = scrubMechanism(e.mechanism);
  if (mechanism) out.mechanism = mechanism;
  const stacktrace = scrubStacktrace(e.stacktrace);
  if (stacktrace) out.stacktrace = stacktrace;
  return out;
}

/** Keys of Sentry's standard contexts that describe the machine, never the user or the request. */
const CONTEXT_KEYS: Record<string, readonly string[]> = {
  os: ['name', 'version', 'kernel_version', 'build'],
  runtime: ['name', 'version'],
  browser: ['name', 'version'],
  device: [
    'family',
    'model',
    'arch',
    'memory_size',
    'free_memory',
    'processor_count',
    'cpu_description',
    'processor_frequency',
    'simulator',
  ],
  app: ['app_start_time', 'app_memory', 'free_memory'],
  culture: ['locale', 'timezone'],
  trace: ['trace_id', 'span_id', 'parent_span_id', 'op', 'status', 'origin'],
};

function scrubContexts(contexts: unknown): Json | undefined {
  if (!isObject(contexts)) return undefined;
  const out: Json = {};
  for (const [name, keys] of Object.entries(CONTEXT_KEYS)) {
    const kept = pick(contexts[name], keys, (v) => (typeof v === 'string' ? (v.length <= 200 ? v : undefined) : (num(v) ?? bool(v))));
    if (kept) out[name] = kept;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Tags we set ourselves (method, route, code) and the SDK's own descriptive ones. */
const TAG_KEYS = [
  'method',
  'route',
  'code',
  'handled',
  'mechanism',
  'level',
  'runtime',
  'runtime.name',
  'os.name',
  'browser',
  'browser.name',
];

function scrubTags(tags: unknown): Json | undefined {
  return pick(tags, TAG_KEYS, (v, key) => {
    if (key === 'route') return typeof v === 'string' ? scrubUrl(v) : undefined;
    if (key === 'method') return method(v);
    return typeof v === 'boolean' || typeof v === 'number' ? v : code(v);
  });
}

function scrubRequest(request: unknown): Json | undefined {
  // Method, the route-shaped URL and the browser's User-Agent (Sentry derives the browser and OS
  // from it): no data, query_string, cookies, other headers or env.
  return pick(request, ['method', 'url', 'headers'], (v, key) => {
    if (key === 'url') return typeof v === 'string' ? scrubUrl(v) : undefined;
    if (key === 'headers')
      return pick(v, ['User-Agent', 'user-agent'], (ua) => (typeof ua === 'string' && ua.length <= 512 ? ua : undefined));
    return method(v);
  });
}

/** "GET /api/packages/:id" or a browser route: the method stays, the path is scrubbed. */
function scrubTransaction(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^([A-Z]{3,7}) (.*)$/.exec(v);
  return m ? `${m[1]} ${scrubUrl(m[2]!)}` : scrubUrl(v);
}

const SCALAR_EVENT_KEYS = [
  'event_id',
  'timestamp',
  'start_timestamp',
  'level',
  'platform',
  'logger',
  'environment',
  'release',
  'dist',
  'type',
];

/**
 * The event as it may leave the process. Returns a new object; `event` is not modified.
 * Typed generically so Sentry's `beforeSend` (whatever its SDK version) takes it as is.
 */
export function scrubEvent<T extends object>(event: T): T {
  const e = event as Json;
  const out: Json = {};
  for (const key of SCALAR_EVENT_KEYS) {
    const v = e[key];
    if (typeof v === 'string' || typeof v === 'number') out[key] = v;
  }
  // The SDK's name, version and integration names; the package list (for "which version of x").
  const sdk = pick(e.sdk, ['name', 'version', 'integrations'], (v) =>
    Array.isArray(v) ? v.filter((i): i is string => typeof i === 'string') : str(v),
  );
  if (sdk) out.sdk = sdk;
  if (isObject(e.modules)) {
    out.modules = Object.fromEntries(Object.entries(e.modules).filter(([k, v]) => typeof v === 'string' && /^[@\w./-]+$/.test(k)));
  }
  if (isObject(e.exception) && Array.isArray(e.exception.values)) {
    out.exception = { values: e.exception.values.map(scrubException).filter(Boolean) };
  }
  if (e.message !== undefined || e.logentry !== undefined) out.message = REDACTED;
  const transaction = scrubTransaction(e.transaction);
  if (transaction) out.transaction = transaction;
  if (Array.isArray(e.fingerprint)) out.fingerprint = e.fingerprint.filter((f) => f === '{{ default }}');
  const request = scrubRequest(e.request);
  if (request) out.request = request;
  const tags = scrubTags(e.tags);
  if (tags) out.tags = tags;
  const contexts = scrubContexts(e.contexts);
  if (contexts) out.contexts = contexts;
  if (Array.isArray(e.breadcrumbs)) out.breadcrumbs = e.breadcrumbs.map((b: object) => scrubBreadcrumb(b)).filter(Boolean);
  // Source-map references: which build file a frame came from.
  if (isObject(e.debug_meta) && Array.isArray(e.debug_meta.images)) {
    out.debug_meta = {
      images: e.debug_meta.images
        .map((i) => pick(i, ['type', 'debug_id', 'code_file'], (v) => (typeof v === 'string' ? scrubFileName(v) : undefined)))
        .filter(Boolean),
    };
  }
  // Dropped: user, extra, server_name, threads, spans, measurements, attachments' metadata.
  return out as T;
}

/** Breadcrumb data keys that describe an HTTP call or a navigation. */
function scrubBreadcrumbData(data: unknown): Json | undefined {
  return pick(data, ['method', 'url', 'status_code', 'from', 'to'], (v, key) => {
    if (key === 'status_code') return num(v);
    if (key === 'method') return method(v);
    return typeof v === 'string' ? scrubUrl(v) : undefined;
  });
}

/**
 * A breadcrumb as it may be attached to a later event, or null to drop it. Console breadcrumbs are
 * dropped whole (their arguments are anything the code logged); the others keep their category,
 * level, time and HTTP/navigation data, never a message (a click's message is a CSS selector that
 * may quote a label).
 */
export function scrubBreadcrumb<T extends object>(breadcrumb: T): T | null {
  const b = breadcrumb as Json;
  if (b.category === 'console') return null;
  const out: Json = {};
  for (const key of ['type', 'category', 'level'] as const) {
    const v = code(b[key]);
    if (v) out[key] = v;
  }
  const timestamp = num(b.timestamp);
  if (timestamp !== undefined) out.timestamp = timestamp;
  const data = scrubBreadcrumbData(b.data);
  if (data) out.data = data;
  return out as T;
}

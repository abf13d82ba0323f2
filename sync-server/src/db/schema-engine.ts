// Prisma's schema engine compiled to WebAssembly: diffs and applies migrations with no network
// (the native engine of the Prisma CLI is downloaded at start, which fails offline). Migrations keep
// Prisma's own layout, so `prisma migrate deploy` works unchanged where the CLI can run.
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { startEmbeddedDatabase } from './embedded.ts';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

const require = createRequire(import.meta.url);

/**
 * prisma/ of the project this module runs from: the nearest directory up from here that holds
 * prisma/schema.prisma. Here is sync-server/src/db under tsx and dist/server in the compiled
 * server (scripts/build-server.mjs), so a fixed relative path would be right for only one of them.
 */
function findPrismaDir(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'prisma', 'schema.prisma'))) return path.join(dir, 'prisma');
    if (path.dirname(dir) === dir) return path.resolve('prisma'); // not found: the working directory's
  }
}

export const PRISMA_DIR = findPrismaDir(import.meta.dirname);
export const MIGRATIONS_DIR = path.join(PRISMA_DIR, 'migrations');
export const SCHEMA_PATH = path.join(PRISMA_DIR, 'schema.prisma');

let wasmReady: Promise<void> | undefined;

function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    // The package exports only its JS glue; the .wasm sits beside it.
    const file = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
    const { instance } = await WebAssembly.instantiate(await readFile(file), {
      './schema_engine_bg.js': glue as unknown as WebAssembly.ModuleImports,
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  })();
  return wasmReady;
}

export async function openSchemaEngine(connectionString: string): Promise<SchemaEngine> {
  await loadWasm();
  const schema = await readFile(SCHEMA_PATH, 'utf8');
  const adapter = bindMigrationAwareSqlAdapterFactory(wholeScripts(new PrismaPg({ connectionString, max: 1 })));
  const log = () => {};
  return glue.SchemaEngine.new({ datamodels: [[SCHEMA_PATH, schema]] }, log, adapter);
}

type Connected = Awaited<ReturnType<PrismaPg['connect']>>;

/**
 * The pg adapter runs a migration script by splitting it on every ";", which breaks dollar-quoted
 * bodies (DO blocks, functions). Postgres' simple query protocol takes a whole script at once, as
 * the native engine sends it, so scripts go to the server unsplit.
 */
function wholeScripts(factory: PrismaPg): PrismaPg {
  const patch = (adapter: Connected): Connected => {
    const inner = adapter as unknown as { client: { query(sql: string): Promise<unknown> }; onError(e: unknown): never };
    adapter.executeScript = async (script: string) => {
      try {
        await inner.client.query(script);
      } catch (error) {
        inner.onError(error);
      }
    };
    return adapter;
  };
  const wrapped = Object.create(factory) as PrismaPg;
  wrapped.connect = async () => patch(await factory.connect());
  wrapped.connectToShadowDb = async () => patch(await factory.connectToShadowDb());
  return wrapped;
}

export async function readMigrations(): Promise<MigrationList> {
  const names = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }).catch(() => []))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const lockPath = path.join(MIGRATIONS_DIR, 'migration_lock.toml');
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: { path: 'migration_lock.toml', content: await readFile(lockPath, 'utf8').catch(() => null) },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      names.map(async (name) => {
        const content = await readFile(path.join(MIGRATIONS_DIR, name, 'migration.sql'), 'utf8').then(
          (ok) => ({ tag: 'ok' as const, value: ok }),
          (e: Error) => ({ tag: 'error' as const, value: e.message }),
        );
        return { path: name, migrationFile: { path: 'migration.sql', content } };
      }),
    ),
  } as MigrationList;
}

/** Applies pending migrations; answers the names applied now. */
export async function applyMigrations(connectionString: string): Promise<string[]> {
  const engine = await openSchemaEngine(connectionString);
  try {
    const out = await engine.applyMigrations({
      migrationsList: await readMigrations(),
      filters: { externalTables: [], externalEnums: [] },
    });
    return out.appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/**
 * The SQL that takes one version of the schema to another (empty when they agree). Both sides are
 * datamodels, so no database is touched: replaying the migrations into a shadow database is what the
 * CLI would do, and the row-level-security migration cannot run in an empty one.
 */
export async function diffSchemas(fromSchema: string, toSchema: string): Promise<string> {
  // The engine connects before it diffs: a throwaway in-memory PGlite, never a real database.
  const scratch = await startEmbeddedDatabase(undefined);
  const engine = await openSchemaEngine(scratch.url);
  try {
    const out = await engine.diff({
      from: { tag: 'schemaDatamodel', files: [{ path: SCHEMA_PATH, content: fromSchema }] },
      to: { tag: 'schemaDatamodel', files: [{ path: SCHEMA_PATH, content: toSchema }] },
      script: true,
      exitCode: null,
      shadowDatabaseUrl: null,
      filters: { externalTables: [], externalEnums: [] },
    } as Parameters<SchemaEngine['diff']>[0]);
    return (out as unknown as { stdout?: string }).stdout ?? '';
  } finally {
    engine.free();
    await scratch.close();
  }
}

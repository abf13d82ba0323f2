// `npm run db:diff -- <name> [--from <git revision>]`: writes
// prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that takes prisma/schema.prisma as
// it was at the revision (default HEAD) to the schema in the work tree — offline, touching no
// database. Read the SQL before committing it: grants, policies and data moves are yours to add.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MIGRATIONS_DIR, SCHEMA_PATH, diffSchemas } from './schema-engine.ts';

const args = process.argv.slice(2);
const fromAt = args.indexOf('--from');
const rev = fromAt >= 0 ? args[fromAt + 1] : 'HEAD';
const name = (args.find((a, i) => !a.startsWith('--') && (fromAt < 0 || i !== fromAt + 1)) ?? '').replace(/[^a-z0-9_]/gi, '_');
if (!name || !rev) {
  console.error('usage: npm run db:diff -- <migration_name> [--from <git revision>]');
  process.exit(2);
}
const repoPath = path.relative(execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim(), SCHEMA_PATH);
const before = execFileSync('git', ['show', `${rev}:${repoPath}`], { encoding: 'utf8' });
const sql = await diffSchemas(before, await readFile(SCHEMA_PATH, 'utf8'));
if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) {
  console.log(`prisma/schema.prisma has not changed since ${rev}.`);
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
await mkdir(dir, { recursive: true });
await writeFile(path.join(dir, 'migration.sql'), sql);
console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);

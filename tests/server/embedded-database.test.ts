// The embedded database (issue: production hardening 13): PGlite has no passwords and its one user
// is a superuser, so it must not listen on any TCP port; it is reachable only through a Unix socket
// in a directory no other user may enter.
import { readFile, readdir, readlink, stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { startEmbeddedDatabase } from '../../sync-server/src/db/embedded.ts';

/** Inodes of the TCP sockets this process has in LISTEN state (/proc/net/tcp{,6}, state 0A). */
async function listeningTcpInodes(): Promise<Set<string>> {
  const own = new Set<string>();
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    const m = /^socket:\[(\d+)\]$/.exec(target);
    if (m) own.add(m[1]!);
  }
  const listening = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = (await readFile(file, 'utf8').catch(() => '')).split('\n').slice(1);
    for (const line of lines) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A' && own.has(cols[9]!)) listening.add(cols[9]!);
    }
  }
  return listening;
}

describe('embedded database', () => {
  it('listens on no TCP port, only on a Unix socket in a private directory', async () => {
    const before = await listeningTcpInodes();
    const db = await startEmbeddedDatabase(undefined);
    try {
      const after = await listeningTcpInodes();
      expect([...after].filter((i) => !before.has(i))).toEqual([]);
      const url = new URL(db.url);
      expect(url.searchParams.get('host')).toBe(db.socketDir);
      const dir = await stat(db.socketDir);
      expect(dir.mode & 0o777).toBe(0o700);
      const socket = await stat(`${db.socketDir}/.s.PGSQL.${url.port}`);
      expect(socket.isSocket()).toBe(true);
    } finally {
      await db.close();
    }
    await expect(stat(db.socketDir)).rejects.toThrow();
  });
});

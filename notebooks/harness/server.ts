/** Start and stop a local Jupyter Notebook server (Debian's classic Notebook 6) for browser tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jupyterEnv } from './jupyter.ts';

export interface NotebookServer {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  token: string;
  /** URL that opens a notebook (path relative to the server's root) with the token. */
  notebookUrl(relativePath: string): string;
  /** Shut kernels and server down (idempotent). */
  stop(): Promise<void>;
  /** The server's log so far (for failure messages). */
  log(): string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * `jupyter notebook --no-browser` on 127.0.0.1, a free port and a random token, serving rootDir.
 * Resolves once /api/status answers; rejects (after stopping it) if it does not within startupMs.
 */
export async function startNotebookServer(rootDir: string, env: NodeJS.ProcessEnv = {}, startupMs = 60_000): Promise<NotebookServer> {
  const port = await freePort();
  const token = randomBytes(24).toString('hex');
  const runtimeDir = mkdtempSync(join(tmpdir(), 'capuchin-jupyter-'));
  const args = [
    'notebook', '--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--NotebookApp.port_retries=0',
    `--NotebookApp.token=${token}`, `--notebook-dir=${rootDir}`,
    ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
  ];
  // Own process group, so stop() can end the server and the kernels it started together.
  const child = spawn('jupyter', args, {
    env: jupyterEnv({ ...env, JUPYTER_RUNTIME_DIR: runtimeDir }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => lines.push(...chunk.split('\n').filter((l) => l && !l.startsWith('0.00s - '))));
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  let stopped = false;
  const server: NotebookServer = {
    baseUrl,
    token,
    notebookUrl: (rel) => `${baseUrl}/notebooks/${rel.split('/').map(encodeURIComponent).join('/')}?token=${token}`,
    log: () => lines.slice(-60).join('\n'),
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await fetch(`${baseUrl}/api/shutdown?token=${token}`, { method: 'POST', signal: AbortSignal.timeout(5000) });
      } catch {
        // Not answering: signals below.
      }
      if (!(await exited(child, 10_000)) && child.pid) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
        if (!(await exited(child, 5_000))) process.kill(-child.pid, 'SIGKILL');
      }
      rmSync(runtimeDir, { recursive: true, force: true });
    },
  };

  const deadline = Date.now() + startupMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${baseUrl}/api/status?token=${token}`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return server;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  const log = server.log();
  await server.stop();
  throw new Error(`jupyter notebook did not start on ${baseUrl} within ${startupMs / 1000} s:\n${log}`);
}

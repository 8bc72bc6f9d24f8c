/**
 * Start and stop a local JupyterLab 4 server (the venv of notebooks/setup-jupyterlab.sh) for the
 * browser test, with its own settings and workspaces folders so the test neither reads nor
 * changes a user's JupyterLab settings.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { jupyterEnv } from './jupyter.ts';

export interface LabServer {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  token: string;
  /** URL that opens a notebook (path relative to the server's root) in JupyterLab, with the token. */
  notebookUrl(relativePath: string): string;
  /** GET an /api/... path with the token; the parsed JSON. */
  api(path: string): Promise<unknown>;
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
 * JupyterLab settings for the test session: no autosave (the committed notebooks must stay as
 * they are) and no news/update notifications (they would cover part of the screenshots).
 */
export const TEST_LAB_SETTINGS: Readonly<Record<string, unknown>> = {
  '@jupyterlab/docmanager-extension/plugin': { autosave: false },
  '@jupyterlab/apputils-extension/notification': { fetchNews: 'false', checkForUpdates: false },
};

export interface LabServerOptions {
  /** The venv's jupyter (findLab()). */
  jupyter: string;
  /** Extra environment for the server and its kernels (CAPUCHIN_DATA). */
  env?: NodeJS.ProcessEnv;
  startupMs?: number;
}

/**
 * `jupyter lab --no-browser` on 127.0.0.1, a free port and a random token, serving rootDir, with
 * `--allow-root` when running as root and window.jupyterapp exposed (for driving it from the test).
 * Resolves once /api/status answers; rejects (after stopping it) if it does not within startupMs.
 */
export async function startLabServer(rootDir: string, options: LabServerOptions): Promise<LabServer> {
  const startupMs = options.startupMs ?? 90_000;
  const port = await freePort();
  const token = randomBytes(24).toString('hex');
  const scratch = mkdtempSync(join(tmpdir(), 'capuchin-lab-'));
  const settingsDir = join(scratch, 'user-settings');
  for (const [plugin, settings] of Object.entries(TEST_LAB_SETTINGS)) {
    const file = join(settingsDir, `${plugin}.jupyterlab-settings`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(settings));
  }
  const args = [
    'lab', '--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--ServerApp.port_retries=0',
    `--IdentityProvider.token=${token}`, `--ServerApp.root_dir=${rootDir}`, '--expose-app-in-browser',
    ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
  ];
  // Own process group, so stop() can end the server and the kernels it started together.
  const child = spawn(options.jupyter, args, {
    env: jupyterEnv({
      ...options.env,
      JUPYTER_RUNTIME_DIR: join(scratch, 'runtime'),
      JUPYTERLAB_SETTINGS_DIR: settingsDir,
      JUPYTERLAB_WORKSPACES_DIR: join(scratch, 'workspaces'),
    }),
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
  const server: LabServer = {
    baseUrl,
    token,
    notebookUrl: (rel) => `${baseUrl}/lab/tree/${rel.split('/').map(encodeURIComponent).join('/')}?token=${token}`,
    async api(path) {
      const res = await fetch(`${baseUrl}${path}${path.includes('?') ? '&' : '?'}token=${token}`, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
      return res.json();
    },
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
      rmSync(scratch, { recursive: true, force: true });
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
  throw new Error(`jupyter lab did not start on ${baseUrl} within ${startupMs / 1000} s:\n${log}`);
}

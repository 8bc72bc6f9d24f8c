/**
 * External programs, found the way users expect: an environment variable naming one first, else PATH
 * (with PATHEXT on Windows). No machine's install path is written into the code.
 * - Chromium for the browser tests and benches: $CHROMIUM, else chromium / chromium-browser / google-chrome.
 * - Python for the reference benches and the notebook harness: $CAPUCHIN_PYTHON, else the first python3 on
 *   PATH that imports the modules asked for (a pyenv shim first on PATH may lack Debian's numpy or Jupyter).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Every executable called `name` on PATH, in PATH order. */
export function allOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const exts = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean)] : [''];
  const found: string[] = [];
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      try {
        accessSync(candidate, constants.X_OK);
        if (statSync(candidate).isFile() && !found.includes(candidate)) found.push(candidate);
      } catch {
        // not here
      }
    }
  }
  return found;
}

/** The first executable called `name` on PATH, or null. */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  return allOnPath(name, env)[0] ?? null;
}

export const CHROMIUM_HINT = 'set CHROMIUM to a Chromium or Chrome binary, or put chromium on PATH (Debian: apt-get install chromium)';

/** The Chromium to drive with playwright-core (never downloaded): $CHROMIUM, else one on PATH, or null. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.CHROMIUM) return env.CHROMIUM;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome']) {
    const found = onPath(name, env);
    if (found) return found;
  }
  return null;
}

/** A python that imports every one of `modules`: $CAPUCHIN_PYTHON when set (as it is), else the first python3 on PATH that does; null when none. */
export function findPython(modules: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.CAPUCHIN_PYTHON) return env.CAPUCHIN_PYTHON;
  const probe = modules.length ? `import ${modules.join(', ')}` : 'pass';
  return allOnPath('python3', env).find((python) => spawnSync(python, ['-c', probe], { stdio: 'ignore', env }).status === 0) ?? null;
}

/**
 * The Jupyter side of the notebook runner: finds Debian's jupyter + python, makes sure the
 * tslab kernelspec is registered, and runs `jupyter nbconvert --execute` on one notebook; and
 * finds the JupyterLab 4 virtual environment that notebooks/setup-jupyterlab.sh makes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { REPO_ROOT } from '../../lib/data/paths.ts';
import { findPython, onPath } from '../../lib/util/executables.ts';

export const TSLAB_KERNEL = 'tslab';
let foundPython: string | null | undefined;
/**
 * The python whose Jupyter runs the notebooks: $CAPUCHIN_PYTHON, else the first python3 on PATH that imports
 * jupyter_client and nbconvert (Debian's, where a pyenv shim without them comes first on PATH).
 */
export function jupyterPython(): string | null {
  if (foundPython === undefined) foundPython = findPython(['jupyter_client', 'nbconvert']);
  return foundPython;
}
export const NBCONVERT_CONFIG = join(REPO_ROOT, 'notebooks', 'harness', 'nbconvert_config.py');
export const TSLAB_BIN = join(REPO_ROOT, 'node_modules', '.bin', 'tslab');
/** The JupyterLab 4 virtual environment (notebooks/setup-jupyterlab.sh; $CAPUCHIN_VENV moves it). */
export const LAB_VENV = process.env.CAPUCHIN_VENV ?? join(REPO_ROOT, '.venv');

/** What to apt-get install when a tool is missing. */
export const APT_HINT = 'apt-get install jupyter-nbconvert python3-ipython';

/**
 * The environment for jupyter and its kernels: node_modules/.bin first on PATH (so a kernelspec
 * that says just "tslab" finds this checkout's), then the folder of jupyterPython(), and the
 * debugger warnings of python 3.11 silenced.
 */
export function jupyterEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const python = jupyterPython();
  const path = [join(REPO_ROOT, 'node_modules', '.bin'), ...(python ? [dirname(python)] : []), process.env.PATH ?? ''].join(delimiter);
  return { ...process.env, PATH: path, PYDEVD_DISABLE_FILE_VALIDATION: '1', ...extra };
}

/** The jupyter commands this runner needs, or a message naming what is missing and how to get it. */
export function findJupyter(subcommand: 'nbconvert'): { command: string } | { missing: string } {
  const command = onPath(`jupyter-${subcommand}`, jupyterEnv());
  if (!command) return { missing: `jupyter-${subcommand} not found on PATH. Fix: ${APT_HINT}` };
  if (!jupyterPython()) return { missing: `no python3 that imports jupyter_client and nbconvert ($CAPUCHIN_PYTHON, else on PATH). Fix: ${APT_HINT}` };
  return { command };
}

function python(code: string, args: string[] = []): { status: number; stdout: string; stderr: string } {
  const python = jupyterPython();
  if (!python) throw new Error(`no python3 that imports jupyter_client and nbconvert ($CAPUCHIN_PYTHON, else on PATH). Fix: ${APT_HINT}`);
  const r = spawnSync(python, ['-Xfrozen_modules=off', '-c', code, ...args], { env: jupyterEnv(), encoding: 'utf8' });
  return { status: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** The venv's `jupyter` with JupyterLab 4 in it, or what to run to get it. */
export function findLab(venv = LAB_VENV): { command: string } | { missing: string } {
  const command = join(venv, 'bin', 'jupyter');
  if (!existsSync(join(venv, 'bin', 'jupyter-lab'))) {
    return { missing: `JupyterLab is not installed in ${venv}. Fix: bash notebooks/setup-jupyterlab.sh (a venv with pip install 'jupyterlab>=4,<5')` };
  }
  return { command };
}

/** Registered kernelspecs: name -> argv. */
export function kernelSpecs(): Record<string, string[]> {
  const r = python(
    'import json\nfrom jupyter_client.kernelspec import KernelSpecManager as K\n' +
      'm = K()\nprint(json.dumps({n: m.get_kernel_spec(n).argv for n in m.find_kernel_specs()}))',
  );
  if (r.status !== 0) throw new Error(`could not list Jupyter kernels with ${jupyterPython()}: ${r.stderr.trim()}. Fix: ${APT_HINT}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Record<string, string[]>;
}

/**
 * Register the tslab kernel (only that one: `tslab install` would add a JavaScript kernel, jslab,
 * that Jupyter may then preselect) for jupyterPython()'s Jupyter, per user or, as root,
 * system-wide: the kernel.json `tslab install --binary=<this checkout's tslab>` writes.
 */
function installTslabKernelSpec(): void {
  const r = python(
    'import json, os, sys, tempfile\nfrom jupyter_client.kernelspec import KernelSpecManager\n' +
      'with tempfile.TemporaryDirectory() as td:\n' +
      '    os.chmod(td, 0o755)\n' +
      '    spec = {"argv": [sys.argv[1], "kernel", "--config-path", "{connection_file}"], "display_name": "TypeScript", "language": "typescript"}\n' +
      '    with open(os.path.join(td, "kernel.json"), "w") as f:\n' +
      '        json.dump(spec, f, sort_keys=True)\n' +
      '    KernelSpecManager().install_kernel_spec(td, "tslab", user=os.geteuid() != 0)',
    [TSLAB_BIN],
  );
  if (r.status !== 0) throw new Error(`registering the tslab kernel failed: ${r.stderr.trim()}. Fix: ${APT_HINT}`);
}

/**
 * Make sure the tslab kernel is registered and its command exists; otherwise register it (the
 * tslab kernel alone, pointing at this checkout's tslab). Returns what it did.
 */
export function ensureTslabKernel(): string {
  const argv = kernelSpecs()[TSLAB_KERNEL];
  const command = argv?.[0];
  const usable = command !== undefined && (command.includes('/') ? existsSync(command) : onPath(command, jupyterEnv()) !== null);
  if (usable) return `tslab kernel: ${command}`;
  if (!existsSync(TSLAB_BIN)) throw new Error(`${TSLAB_BIN} not found. Fix: npm ci (tslab is a dependency).`);
  installTslabKernelSpec();
  if (!kernelSpecs()[TSLAB_KERNEL]) throw new Error('registered the tslab kernel but Jupyter still lists no tslab kernel');
  return `installed the tslab kernelspec (${TSLAB_BIN})`;
}

/** A failed cell, as notebooks/harness/nbconvert_config.py reports it. */
export interface CellFailure {
  cell_index: number;
  source: string;
  ename: string;
  evalue: string;
  /** The cell's stream/error outputs as text (tslab writes its errors to stderr). */
  outputs: string[];
}

export interface ExecuteResult {
  ok: boolean;
  seconds: number;
  /** The failing cell, when nbconvert reported one. */
  failure?: CellFailure;
  /** The tail of nbconvert's stderr, for failures that are not a cell (kernel died, timeout). */
  log: string;
}

export interface ExecuteOptions {
  /** Per-cell timeout. */
  timeoutSec: number;
  /** Extra environment for the kernel (CAPUCHIN_DATA). */
  env: NodeJS.ProcessEnv;
  /** Called with each finished cell: (cell index, status, seconds). */
  onCell?: (cellIndex: number, status: string, seconds: number) => void;
}

const NOISE = [/^0\.00s - /, /^\[NbConvertApp\] (Converting|Writing|Executing)/];

/** `jupyter nbconvert --to notebook --execute` one notebook into outDir/<name>.ipynb. */
export function executeNotebook(input: string, outDir: string, name: string, options: ExecuteOptions): Promise<ExecuteResult> {
  const started = Date.now();
  const scratch = mkdtempSync(join(tmpdir(), 'capuchin-nb-'));
  const reportFile = join(scratch, 'failure.json');
  const args = [
    'nbconvert', '--to', 'notebook', '--execute',
    `--config=${NBCONVERT_CONFIG}`,
    `--ExecutePreprocessor.kernel_name=${TSLAB_KERNEL}`,
    `--ExecutePreprocessor.timeout=${options.timeoutSec}`,
    '--ExecutePreprocessor.startup_timeout=120',
    `--output-dir=${outDir}`, `--output=${name}`,
    input,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('jupyter', args, {
      env: jupyterEnv({ ...options.env, CAPUCHIN_NB_REPORT: reportFile }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const log: string[] = [];
    let pending = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^\[capuchin-nb\] cell (\d+) (\w+) ([\d.]+)$/.exec(line);
        if (m) options.onCell?.(Number(m[1]), m[2]!, Number(m[3]));
        else if (!NOISE.some((re) => re.test(line))) log.push(line);
      }
    });
    child.on('error', (err) => {
      rmSync(scratch, { recursive: true, force: true });
      reject(new Error(`could not start jupyter: ${err.message}. Fix: ${APT_HINT}`));
    });
    child.on('close', (code) => {
      if (pending) log.push(pending);
      const failure = existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, 'utf8')) as CellFailure) : undefined;
      rmSync(scratch, { recursive: true, force: true });
      resolve({ ok: code === 0 && !failure, seconds: (Date.now() - started) / 1000, failure, log: log.slice(-40).join('\n') });
    });
  });
}

/** Sign executed notebooks (what `jupyter trust` does) so JupyterLab runs their plotly scripts. */
export function trustNotebooks(files: string[]): void {
  if (files.length === 0) return;
  const r = python(
    'import sys, nbformat\nfrom nbformat.sign import NotebookNotary\nn = NotebookNotary()\n' +
      'for p in sys.argv[1:]:\n    n.sign(nbformat.read(p, as_version=4))',
    files,
  );
  if (r.status !== 0) throw new Error(`could not sign ${files.join(', ')}: ${r.stderr.trim()}`);
}

/** Export an executed notebook to standalone HTML (plotly figures included) beside it. */
export function exportHtml(executed: string): string {
  const r = spawnSync('jupyter', ['nbconvert', '--to', 'html', executed], { env: jupyterEnv(), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`jupyter nbconvert --to html ${executed} failed: ${r.stderr.trim().split('\n').pop()}`);
  return executed.replace(/\.ipynb$/, '.html');
}

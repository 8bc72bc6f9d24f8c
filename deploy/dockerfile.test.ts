/**
 * deploy/Dockerfile, step by step against the repository (no image is built here; see the README, "Cluster
 * recipes"): every path a COPY names exists and is not excluded by .dockerignore; every script a RUN starts (npm ci's
 * postinstall, `npm run X`'s script and the files it names) is in the image by that step; the native kernels'
 * sources are there before they are built; the base is Node ≥ 20 and npm ≥ 11 is installed; the shipped model is in
 * the image; the last user is not root.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../lib/data/paths.ts';

interface Step {
  instruction: string;
  args: string;
  line: number;
}

/** The instructions of a Dockerfile (continuation lines joined, comments dropped). */
function steps(text: string): Step[] {
  const out: Step[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const first = i + 1;
    let line = lines[i];
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + ' ' + lines[++i];
    const m = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (m && !line.trimStart().startsWith('#')) out.push({ instruction: m[1], args: m[2].trim(), line: first });
  }
  return out;
}

/** The files the build context holds: tracked and untracked-but-not-ignored files, minus .dockerignore's patterns. */
function contextFiles(): string[] {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
  const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  return files.filter((f) => !ignored.some((p) => f === p || f.startsWith(`${p}/`)));
}

/** Repository paths a command line starts: `npm ci` (the postinstall's script), `npm run X` (X's script and its files). */
function scriptsRunBy(command: string, scripts: Record<string, string>): string[] {
  const paths = (script: string) => [...script.matchAll(/[\w./-]+\.(?:sh|mjs|ts|js)\b/g)].map((m) => m[0]);
  const out: string[] = [];
  if (/\bnpm ci\b/.test(command) && scripts.postinstall) out.push('package.json', 'package-lock.json', ...paths(scripts.postinstall));
  for (const m of command.matchAll(/\bnpm run (?:--silent )?([\w:-]+)/g)) {
    const script = scripts[m[1]];
    assert.ok(script, `the Dockerfile runs npm run ${m[1]}, which package.json does not define`);
    out.push(...paths(script));
  }
  return out;
}

test('deploy/Dockerfile copies what exists, in time for every step that runs it', () => {
  const dockerfile = readFileSync(join(REPO_ROOT, 'deploy', 'Dockerfile'), 'utf8');
  const scripts = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const context = contextFiles();
  const image = new Set<string>();
  let user = 'root';
  let npmMajor = 0;
  const argDefaults = new Map<string, string>();
  const all = steps(dockerfile);
  assert.ok(all.length > 5, 'the parser sees the steps');
  for (const { instruction, args, line } of all) {
    const where = `deploy/Dockerfile:${line}`;
    if (instruction === 'ARG') {
      const [name, value] = args.split('=');
      if (value !== undefined) argDefaults.set(name, value);
    } else if (instruction === 'FROM') {
      const base = args.replace(/\$\{(\w+)\}/g, (_, name: string) => argDefaults.get(name) ?? '');
      const major = Number(/^node:(\d+)/.exec(base)?.[1]);
      assert.ok(major >= 20, `${where}: the default base must be Node ≥ 20, got ${base}`);
    } else if (instruction === 'COPY') {
      const parts = args.split(/\s+/).filter((p) => !p.startsWith('--'));
      for (const src of parts.slice(0, -1)) {
        const matched = src === '.' ? context : context.filter((f) => f === src || f.startsWith(`${src.replace(/\/$/, '')}/`));
        assert.ok(matched.length > 0, `${where}: COPY ${src}: not in the build context (missing, or excluded by .dockerignore)`);
        matched.forEach((f) => image.add(f));
      }
    } else if (instruction === 'RUN') {
      for (const path of scriptsRunBy(args, scripts)) assert.ok(image.has(path), `${where}: runs ${path} before it is copied into the image`);
      if (/\bnpm run (?:--silent )?build:native\b/.test(args)) {
        assert.ok([...image].some((f) => f.startsWith('lib/model/backend/native/') && f.endsWith('.cc')), `${where}: builds the native kernels before their sources are copied`);
      }
      const npm = /npm install -g npm@(\d+)/.exec(args);
      if (npm) npmMajor = Number(npm[1]);
    } else if (instruction === 'USER') {
      user = args;
    }
  }
  assert.ok(npmMajor >= 11, 'npm ≥ 11 is installed (the README asks for it; node:20 ships npm 10)');
  for (const f of ['models/default/model.json', 'models/default/weights.bin', 'models/default/capuchin.json', 'models/default/detector.json']) assert.ok(image.has(f), `the image lacks ${f}`);
  assert.notEqual(user, 'root', 'the image runs as an unprivileged user');
  assert.ok(existsSync(join(REPO_ROOT, '.dockerignore')));
});

/**
 * `npm run test:cluster`: deploy/slurm/count-array.sh and merge.sh under a real Slurm. Starts munged, slurmctld and
 * slurmd on this machine (one node, a config in a temp folder, ports of its own), submits the array over the sample
 * and generated recordings with the merge after it (--dependency=afterok), and checks that the merged output equals
 * one `count` of the same folder, file for file. Then it cancels one array task while it counts (scancel), resubmits
 * that task, which resumes from its journal, and checks the merge again. Stops every daemon it started.
 *
 * Needs the Debian packages slurm-wlm and munge and root (slurmd starts jobs as their user); skips, saying why, without
 * them. `.ci/run` installs them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, totalmem, cpus } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { wavBytes } from '../../lib/audio/__fixtures__/testAudio.ts';
import { loadAudio } from '../../lib/audio/load.ts';
import { FOREST_DIR, REPO_ROOT, SAMPLE_DATA_DIR } from '../../lib/data/paths.ts';
import { onPath } from '../../lib/util/executables.ts';
import { tempDir } from '../../lib/util/__fixtures__/tempDir.ts';

const DAEMONS = ['munged', 'slurmctld', 'slurmd'];
const CLIENTS = ['sbatch', 'squeue', 'scancel', 'scontrol', 'sinfo'];
const COMPARED = ['results.csv', 'detections.csv', 'errors.csv', 'warnings.csv'];
const SHARDS = 3;

function skipReason(): string | null {
  const missing = [...DAEMONS, ...CLIENTS].filter((t) => !onPath(t) && !existsSync(`/usr/sbin/${t}`));
  if (missing.length) return `needs ${missing.join(', ')} (Debian: apt-get install slurm-wlm munge)`;
  if (process.getuid?.() !== 0) return 'needs root: slurmd starts each job as its user';
  return null;
}

const sbin = (name: string) => (onPath(name) ?? `/usr/sbin/${name}`);

/** A one-node cluster on this machine, its files under `dir`. */
class LocalCluster {
  readonly env: NodeJS.ProcessEnv;
  private readonly node = hostname().split('.')[0];

  constructor(private readonly dir: string) {
    this.env = { ...process.env, SLURM_CONF: join(dir, 'slurm.conf') };
  }

  start(): void {
    const d = this.dir;
    for (const sub of ['state', 'spool', 'munge']) mkdirSync(join(d, sub), { recursive: true });
    chmodSync(join(d, 'munge'), 0o700);
    writeFileSync(join(d, 'munge', 'munge.key'), randomBytes(1024), { mode: 0o600 });
    const socket = join(d, 'munge', 'munge.socket');
    execFileSync(sbin('munged'), ['--force', `--socket=${socket}`, `--key-file=${join(d, 'munge', 'munge.key')}`, `--pid-file=${join(d, 'munge', 'munged.pid')}`, `--log-file=${join(d, 'munge', 'munged.log')}`, `--seed-file=${join(d, 'munge', 'munged.seed')}`]);
    const memMb = Math.floor((totalmem() / 2 ** 20) * 0.8);
    writeFileSync(this.env.SLURM_CONF!, [
      'ClusterName=capuchintest', `SlurmctldHost=${this.node}(127.0.0.1)`, 'SlurmctldPort=16917', 'SlurmdPort=16918',
      'AuthType=auth/munge', 'CredType=cred/munge', `AuthInfo=socket=${socket}`, 'SlurmUser=root', 'SlurmdUser=root',
      `StateSaveLocation=${join(d, 'state')}`, `SlurmdSpoolDir=${join(d, 'spool')}`,
      `SlurmctldPidFile=${join(d, 'slurmctld.pid')}`, `SlurmdPidFile=${join(d, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(d, 'slurmctld.log')}`, `SlurmdLogFile=${join(d, 'slurmd.log')}`,
      'ProctrackType=proctrack/pgid', 'TaskPlugin=task/none', 'SelectType=select/cons_tres', 'SelectTypeParameters=CR_CPU',
      'SchedulerType=sched/builtin', 'ReturnToService=2', 'MpiDefault=none', 'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none', 'JobCompType=jobcomp/none', 'MinJobAge=600', 'KillWait=5',
      `NodeName=${this.node} NodeAddr=127.0.0.1 CPUs=${cpus().length} RealMemory=${memMb} State=UNKNOWN`,
      `PartitionName=test Nodes=${this.node} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'));
    execFileSync(sbin('slurmctld'), [], { env: this.env });
    execFileSync(sbin('slurmd'), [], { env: this.env });
    this.waitFor(() => /idle/.test(this.run('sinfo', ['-h', '-o', '%t'])), 60, 'the node to come up idle');
  }

  /** Stop every daemon this cluster started (by its pid file), and wait until each is gone (they write on the way out). */
  stop(): void {
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (const pidFile of ['slurmd.pid', 'slurmctld.pid', join('munge', 'munged.pid')]) {
      const path = join(this.dir, pidFile);
      if (!existsSync(path)) continue;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (!alive(pid)) continue;
      process.kill(pid, 'SIGTERM');
      const until = Date.now() + 20_000;
      while (alive(pid) && Date.now() < until) spawnSync('sleep', ['0.1']);
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  }

  run(command: string, args: string[]): string {
    return execFileSync(command, args, { env: this.env, encoding: 'utf8' });
  }

  /** sbatch a script with these variables; the job id. */
  submit(script: string, args: string[], vars: Record<string, string>): string {
    const exported = ['ALL', ...Object.entries(vars).map(([k, v]) => `${k}=${v}`)].join(',');
    return this.run('sbatch', ['--parsable', `--export=${exported}`, `--chdir=${REPO_ROOT}`, `--output=${join(this.dir, 'job-%A_%a.out')}`, ...args, join(REPO_ROOT, 'deploy/slurm', script)]).trim();
  }

  /** The JobState of every job (or array task) of `id`, as scontrol shows them. */
  states(id: string): string[] {
    const out = spawnSync('scontrol', ['-o', 'show', 'job', id], { env: this.env, encoding: 'utf8' }).stdout;
    return [...out.matchAll(/JobState=(\S+)/g)].map((m) => m[1]);
  }

  waitFor(ready: () => boolean, seconds: number, what: string): void {
    const until = Date.now() + seconds * 1000;
    while (!ready()) {
      if (Date.now() > until) throw new Error(`timed out after ${seconds} s waiting for ${what}; logs in ${this.dir}: ${this.logs()}`);
      spawnSync('sleep', ['0.2']);
    }
  }

  /** Wait until none of these jobs is pending or running. */
  waitDone(ids: string[], seconds: number): void {
    this.waitFor(() => ids.every((id) => this.states(id).every((s) => !/PENDING|RUNNING|CONFIGURING|COMPLETING/.test(s))), seconds, `jobs ${ids.join(', ')}`);
  }

  logs(): string {
    return readdirSync(this.dir).filter((f) => f.endsWith('.out') || f.endsWith('.log')).map((f) => `\n--- ${f}\n${readFileSync(join(this.dir, f), 'utf8').slice(-1500)}`).join('');
  }
}

const reason = skipReason();

test('count-array.sh and merge.sh under a real Slurm: the merge equals one count; a cancelled task resumes', { skip: reason ?? false, timeout: 600_000 }, async () => {
  const root = tempDir('capuchin-slurm-');
  // recordings: the sample excerpt and eight ~9 min recordings made from it (shifted), three shards of three; a task
  // takes a few seconds, time enough to cancel one between its first file and its last
  const recordings = join(root, 'recordings');
  mkdirSync(recordings);
  const excerpt = await loadAudio(join(SAMPLE_DATA_DIR, FOREST_DIR, 'recording_46_excerpt.mp3'));
  writeFileSync(join(recordings, 'excerpt.wav'), wavBytes([excerpt.samples], 16000));
  for (let k = 0; k < 8; k++) {
    const tiled = new Float32Array(excerpt.samples.length * 20);
    for (let i = 0; i < tiled.length; i++) tiled[i] = excerpt.samples[(i + k * 16000) % excerpt.samples.length];
    writeFileSync(join(recordings, `rec_${k}.wav`), wavBytes([tiled], 16000));
  }
  const single = join(root, 'single');
  const one = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'experiments/count.ts'), '--data', recordings, '--out', single, '--no-review'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(one.status, 0, one.stderr);

  const cluster = new LocalCluster(join(root, 'slurm'));
  try {
    cluster.start();
    const same = (out: string) => {
      for (const f of COMPARED) assert.equal(readFileSync(join(out, 'merged', f), 'utf8'), readFileSync(join(single, f), 'utf8'), `${f}: the merged shards differ from one count`);
    };
    const vars = (out: string) => ({ CAPUCHIN_RECORDINGS: recordings, CAPUCHIN_OUT: out, CAPUCHIN_REPO: REPO_ROOT });

    // 1. the array and the merge after it
    const first = join(root, 'run1');
    const array = cluster.submit('count-array.sh', [`--array=0-${SHARDS - 1}`], vars(first));
    const merge = cluster.submit('merge.sh', [`--dependency=afterok:${array}`], vars(first));
    cluster.waitDone([array, merge], 400);
    assert.deepEqual(cluster.states(array), new Array(SHARDS).fill('COMPLETED'), cluster.logs());
    assert.deepEqual(cluster.states(merge), ['COMPLETED'], cluster.logs());
    same(first);

    // 2. task 1 cancelled once it has counted a file, resubmitted alone (CAPUCHIN_SHARDS keeps i/n), resumed
    const second = join(root, 'run2');
    const again = cluster.submit('count-array.sh', [`--array=0-${SHARDS - 1}`], vars(second));
    const journal = join(second, `.shard-1-of-${SHARDS}.partial`, 'journal', 'done.jsonl');
    cluster.waitFor(() => existsSync(journal) && readFileSync(journal, 'utf8').split('\n').filter(Boolean).length >= 1, 300, 'task 1 to count its first file');
    cluster.run('scancel', [`${again}_1`]);
    cluster.waitDone([again], 300);
    assert.deepEqual(cluster.states(`${again}_1`), ['CANCELLED'], cluster.logs());
    assert.ok(existsSync(journal), `the cancelled task's journal is kept; ${second} holds ${readdirSync(second, { recursive: true }).join(', ')}${cluster.logs()}`);
    const counted = readFileSync(journal, 'utf8').split('\n').filter(Boolean).length;
    assert.ok(counted < SHARDS, `task 1 was cancelled before it finished (${counted} of ${SHARDS} files journaled)`);
    const rerun = cluster.submit('count-array.sh', ['--array=1'], { ...vars(second), CAPUCHIN_SHARDS: String(SHARDS) });
    const merge2 = cluster.submit('merge.sh', [`--dependency=afterok:${again}_0:${again}_2:${rerun}`], vars(second));
    cluster.waitDone([rerun, merge2], 300);
    assert.deepEqual([...cluster.states(rerun), ...cluster.states(merge2)], ['COMPLETED', 'COMPLETED'], cluster.logs());
    const log = readFileSync(join(root, 'slurm', `job-${rerun}_1.out`), 'utf8');
    assert.match(log, new RegExp(`resuming: ${counted} of ${SHARDS} file\\(s\\) already counted`), log);
    same(second);
  } finally {
    cluster.stop();
  }
});

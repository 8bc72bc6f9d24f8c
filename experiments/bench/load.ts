/**
 * How busy the machine was while a bench suite ran: the 1-minute load average before and after it, and
 * the CPU that OTHER processes used meanwhile (all CPUs' busy time from /proc/stat minus this process's
 * own time, its threads, its live and reaped children such as esbuild, ffmpeg or python, and a browser it ran
 * (countSuiteCpu) included), in cores. The load average
 * counts the suite's own work too, so it only shows the trend; `otherCores` is what says whether a
 * neighbour could have skewed a ratio. Off Linux, the /proc figures are NaN.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

export interface LoadSample {
  at: number;
  loadAvg1: number;
  /** busy CPU seconds of the whole machine since boot (NaN off Linux) */
  machineBusySec: number;
  /** CPU seconds of this process (all threads) and its reaped children */
  ownSec: number;
}

export interface SuiteLoad {
  loadBefore: number;
  loadAfter: number;
  /** other processes' CPU during the suite, in cores (NaN off Linux) */
  otherCores: number;
  wallSec: number;
}

const TICKS_PER_SEC = 100; // USER_HZ on Linux

function machineBusySec(): number {
  if (!existsSync('/proc/stat')) return NaN;
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]; // "cpu  user nice system idle iowait irq softirq steal ..."
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + (steal || 0)) / TICKS_PER_SEC;
}

/** CPU seconds of this process's reaped children (Linux), or NaN elsewhere. */
export function childrenCpuSec(): number {
  const fields = statFields('self');
  return fields ? (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SEC : NaN; // cutime + cstime
}

/** /proc/PID/NAME, or null when the process has ended (or off Linux). */
export function readProc(pid: number | 'self', name: string): string | null {
  try {
    return readFileSync(`/proc/${pid}/${name}`, 'utf8');
  } catch {
    return null;
  }
}

/** /proc/PID/stat's fields after the command name (the first is the state, the second the parent pid), or null. */
function statFields(pid: number | 'self'): string[] | null {
  const stat = readProc(pid, 'stat');
  return stat === null ? null : stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** The processes below `root` (children, theirs, …), from /proc; [] off Linux. */
export function descendantPids(root: number): number[] {
  if (!existsSync('/proc')) return [];
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const fields = statFields(Number(name));
    if (fields === null) continue;
    const ppid = Number(fields[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const found: number[] = [];
  for (const stack = [...(children.get(root) ?? [])]; stack.length; ) {
    const pid = stack.pop()!;
    found.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return found;
}

/** CPU seconds (user + system, all threads) a live process has used; 0 once it has ended. */
export function processCpuSec(pid: number): number {
  const fields = statFields(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SEC : 0; // utime, stime
}

/** CPU seconds of processes a suite started that the kernel never reports as reaped children (countSuiteCpu; may be a correction below 0). */
let unreapedSec = 0;

/**
 * Count `sec` CPU seconds of processes this suite started as its own: a browser's renderers are killed with it,
 * not reaped, so their time would otherwise count as other processes'.
 */
export function countSuiteCpu(sec: number): void {
  if (Number.isFinite(sec)) unreapedSec += sec;
}

export function sampleLoad(): LoadSample {
  const u = process.cpuUsage();
  // live children (a bundler's service process) count too: they are reaped, if ever, after the suite
  const live = descendantPids(process.pid).reduce((sum, pid) => sum + processCpuSec(pid), 0);
  return { at: performance.now(), loadAvg1: loadavg()[0], machineBusySec: machineBusySec(), ownSec: (u.user + u.system) / 1e6 + (childrenCpuSec() || 0) + unreapedSec + live };
}

export function suiteLoad(before: LoadSample, after: LoadSample): SuiteLoad {
  const wallSec = (after.at - before.at) / 1000;
  const other = after.machineBusySec - before.machineBusySec - (after.ownSec - before.ownSec);
  return { loadBefore: before.loadAvg1, loadAfter: after.loadAvg1, otherCores: Math.max(0, other) / Math.max(wallSec, 1e-9), wallSec };
}

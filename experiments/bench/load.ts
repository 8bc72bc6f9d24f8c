/**
 * How busy the machine was while a bench suite ran: the 1-minute load average before and after it, and
 * the CPU that OTHER processes used meanwhile (all CPUs' busy time from /proc/stat minus this process's
 * own time, its threads and reaped children such as ffmpeg or python included), in cores. The load average
 * counts the suite's own work too, so it only shows the trend; `otherCores` is what says whether a
 * neighbour could have skewed a ratio. Off Linux, the /proc figures are NaN.
 */
import { existsSync, readFileSync } from 'node:fs';
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
  if (!existsSync('/proc/self/stat')) return NaN;
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SEC; // cutime + cstime
}

export function sampleLoad(): LoadSample {
  const u = process.cpuUsage();
  return { at: performance.now(), loadAvg1: loadavg()[0], machineBusySec: machineBusySec(), ownSec: (u.user + u.system) / 1e6 + (childrenCpuSec() || 0) };
}

export function suiteLoad(before: LoadSample, after: LoadSample): SuiteLoad {
  const wallSec = (after.at - before.at) / 1000;
  const other = after.machineBusySec - before.machineBusySec - (after.ownSec - before.ownSec);
  return { loadBefore: before.loadAvg1, loadAfter: after.loadAvg1, otherCores: Math.max(0, other) / Math.max(wallSec, 1e-9), wallSec };
}

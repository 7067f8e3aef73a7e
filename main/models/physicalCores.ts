import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * Physical cores this process may use: the default thread count for local models. llama.cpp's matrix work
 * gains nothing from hyper-threads and slows down badly when oversubscribed (4 threads on 2 cores is ~50×
 * slower), so count distinct (package, core) pairs and never exceed what the scheduler grants us.
 */
export function physicalCoreCount(cpuinfo: string | null = readCpuinfo()): number {
  const granted = availableParallelism();
  if (!cpuinfo) return Math.max(1, granted);
  const cores = new Set<string>();
  let physical = '0';
  for (const line of cpuinfo.split('\n')) {
    const [key, value] = line.split(':').map((s) => s.trim());
    if (key === 'physical id') physical = value ?? '0';
    else if (key === 'core id') cores.add(`${physical}:${value}`);
  }
  // Containers and some VMs omit core ids: then each granted CPU counts as a core.
  return Math.max(1, Math.min(granted, cores.size || granted));
}

function readCpuinfo(): string | null {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return null;
  }
}

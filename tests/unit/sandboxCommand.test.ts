import { describe, expect, it } from 'vitest';
import {
  SANDBOX_FONTS_DIR,
  SANDBOX_WORKER_DIR,
  SCRATCH_MB,
  UNPRIVILEGED_IDS,
  workerCommand,
} from '../../main/render/sandboxCommand';

const python = {
  executable: '/usr/bin/python3.11',
  version: '3.11.2',
  matplotlib: '3.6.3',
  numpy: '1.24.2',
  prefix: '/usr',
  basePrefix: '/usr',
};

describe('workerCommand', () => {
  const app = { workerDir: '/app/native/python', fontsDir: '/app/resources/fonts' };
  const argAfter = (args: string[], flag: string, value?: string) =>
    args.filter((_, i) => args[i - 1] === flag && (value === undefined || args[i] === value));

  it('starts the worker inside bubblewrap with no network, its own PIDs and a cleared environment', () => {
    const cmd = workerCommand({ python, ...app, mode: 'bwrap', hostUid: 1000 });
    expect(cmd.file).toBe('bwrap');
    expect(cmd.cwd).toBe('/');
    expect(cmd.args.slice(0, 5)).toEqual([
      '--unshare-all',
      '--unshare-user',
      '--disable-userns',
      '--cap-drop',
      'ALL',
    ]);
    expect(cmd.args).toContain('--as-pid-1');
    expect(cmd.args).not.toContain('--share-net');
    expect(cmd.args).toContain('--clearenv');
    const tail = cmd.args.slice(cmd.args.indexOf('--'));
    expect(tail).toEqual([
      '--',
      '/usr/bin/python3.11',
      '-s',
      `${SANDBOX_WORKER_DIR}/render_worker.py`,
      '--sandbox',
      'bwrap',
      '--fonts-dir',
      SANDBOX_FONTS_DIR,
      '--scratch',
      '/tmp',
    ]);
  });

  it('as root: no user namespace (it would map jobs to host root), only the caps to become nobody', () => {
    const cmd = workerCommand({ python, ...app, mode: 'bwrap', hostUid: 0 });
    expect(cmd.args).not.toContain('--unshare-all');
    expect(cmd.args).not.toContain('--unshare-user');
    for (const ns of ['--unshare-ipc', '--unshare-pid', '--unshare-net', '--unshare-uts'])
      expect(cmd.args).toContain(ns);
    expect(argAfter(cmd.args, '--cap-drop')).toEqual(['ALL']);
    expect(argAfter(cmd.args, '--cap-add').sort()).toEqual(['CAP_SETGID', 'CAP_SETPCAP', 'CAP_SETUID']);
    expect(cmd.args.slice(-2)).toEqual(['--drop-to', `${UNPRIVILEGED_IDS.uid}:${UNPRIVILEGED_IDS.gid}`]);
  });

  it('leaves only a size-limited /tmp writable, with the app bound outside it', () => {
    const cmd = workerCommand({
      python,
      workerDir: '/tmp/clone/native/python',
      fontsDir: '/tmp/clone/fonts',
      mode: 'bwrap',
      hostUid: 1000,
    });
    const tmpfs = cmd.args.indexOf('--tmpfs');
    expect(cmd.args[tmpfs + 1]).toBe('/tmp');
    expect(cmd.args.slice(tmpfs - 4, tmpfs)).toEqual([
      '--perms',
      '1777',
      '--size',
      String(SCRATCH_MB * 1024 * 1024),
    ]);
    expect(cmd.args[cmd.args.indexOf('/tmp/clone/native/python') + 1]).toBe(SANDBOX_WORKER_DIR);
    const remounts = argAfter(cmd.args, '--remount-ro');
    expect(remounts).toEqual(['/proc', '/dev', '/']);
    // The remounts come after every mount, or a later mount would be writable again.
    const lastMount = Math.max(
      ...['--ro-bind', '--tmpfs', '--proc', '--dev', '--dir'].map((f) => cmd.args.lastIndexOf(f)),
    );
    expect(cmd.args.indexOf('--remount-ro')).toBeGreaterThan(lastMount);
  });

  it('guards mode as root drops to nobody too, and runs from a neutral directory', () => {
    const cmd = workerCommand({ python, ...app, mode: 'guards', hostUid: 0 });
    expect(cmd.file).toBe('/usr/bin/python3.11');
    expect(cmd.cwd).toBe('/');
    expect(cmd.args).toEqual([
      '-s',
      '/app/native/python/render_worker.py',
      '--sandbox',
      'guards',
      '--fonts-dir',
      '/app/resources/fonts',
      '--drop-to',
      '65534:65534',
    ]);
  });

  it('binds an interpreter installed outside /usr (venv, conda) read-only', () => {
    const conda = {
      ...python,
      executable: '/opt/conda/bin/python3.12',
      prefix: '/opt/conda',
      basePrefix: '/opt/conda',
    };
    const cmd = workerCommand({
      python: conda,
      workerDir: '/app/native/python',
      fontsDir: '/app/resources/fonts',
      mode: 'bwrap',
    });
    const at = cmd.args.indexOf('/opt/conda');
    expect(cmd.args[at - 1]).toBe('--ro-bind-try');
  });

  it('passes no environment of the user to the worker in guards mode', () => {
    const cmd = workerCommand({ python, workerDir: '/app/native/python', fontsDir: '/f', mode: 'guards' });
    expect(cmd.file).toBe('/usr/bin/python3.11');
    expect(Object.keys(cmd.env).sort()).toEqual([
      'HOME',
      'LANG',
      'LC_ALL',
      'MKL_NUM_THREADS',
      'MPLBACKEND',
      'OMP_NUM_THREADS',
      'OPENBLAS_NUM_THREADS',
      'PATH',
      'PYTHONDONTWRITEBYTECODE',
      'PYTHONHASHSEED',
      'PYTHONUNBUFFERED',
    ]);
  });
});

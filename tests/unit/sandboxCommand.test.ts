import { describe, expect, it } from 'vitest';
import { workerCommand } from '../../main/render/sandboxCommand';

const python = {
  executable: '/usr/bin/python3.11',
  version: '3.11.2',
  matplotlib: '3.6.3',
  numpy: '1.24.2',
  prefix: '/usr',
  basePrefix: '/usr',
};

describe('workerCommand', () => {
  it('starts the worker inside bubblewrap with no network, its own PIDs and a cleared environment', () => {
    const cmd = workerCommand({
      python,
      workerDir: '/app/native/python',
      fontsDir: '/app/resources/fonts',
      mode: 'bwrap',
    });
    expect(cmd.file).toBe('bwrap');
    expect(cmd.args.slice(0, 3)).toEqual(['--unshare-all', '--die-with-parent', '--new-session']);
    expect(cmd.args).not.toContain('--share-net');
    expect(cmd.args).toContain('--clearenv');
    const tail = cmd.args.slice(cmd.args.indexOf('--'));
    expect(tail).toEqual([
      '--',
      '/usr/bin/python3.11',
      '/app/native/python/render_worker.py',
      '--sandbox',
      'bwrap',
      '--fonts-dir',
      '/app/resources/fonts',
    ]);
  });

  it('mounts the private /tmp before the app, so an app under /tmp (a CI clone) stays visible', () => {
    const cmd = workerCommand({
      python,
      workerDir: '/tmp/clone/native/python',
      fontsDir: '/tmp/clone/resources/fonts',
      mode: 'bwrap',
    });
    const tmpfs = cmd.args.indexOf('--tmpfs');
    const app = cmd.args.indexOf('/tmp/clone/native/python');
    expect(tmpfs).toBeGreaterThan(-1);
    expect(app).toBeGreaterThan(tmpfs);
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

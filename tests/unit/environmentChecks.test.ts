import { describe, expect, it } from 'vitest';
import { checkNode, checkPython } from '../../main/engine/environmentChecks';
import { pythonCandidates } from '../../main/render/pythonDiscovery';

describe('environment checks', () => {
  it('accepts Node 20.19+ and says how to fix older ones', () => {
    expect(checkNode('20.19.0').status).toBe('ok');
    expect(checkNode('22.1.0').status).toBe('ok');
    const old = checkNode('18.20.1');
    expect(old.status).toBe('error');
    expect(old.fix).toMatch(/Install Node\.js 20\.19/);
  });

  it("prefers Debian's interpreter unless one is configured", () => {
    const paths = (o: Parameters<typeof pythonCandidates>[0]) =>
      pythonCandidates(o).map((c) => `${c.source}:${c.path}`);
    expect(paths({ configured: null, env: {} })).toEqual(['system:/usr/bin/python3', 'path:python3']);
    expect(paths({ configured: null, env: { CODEPERCEPT_PYTHON: '/opt/py' } })).toEqual(['env:/opt/py']);
    expect(paths({ configured: '/mine/python', env: { CODEPERCEPT_PYTHON: '/opt/py' } })).toEqual([
      'configured:/mine/python',
    ]);
    // A packaged app's bundled runtime comes before the system one, when it exists.
    expect(paths({ configured: null, env: {}, bundled: process.execPath })[0]).toBe(
      `bundled:${process.execPath}`,
    );
    expect(paths({ configured: null, env: {}, bundled: '/missing/python3' })[0]).toBe(
      'system:/usr/bin/python3',
    );
  });

  it('reports a missing interpreter as an error with the fix', async () => {
    const [python] = await checkPython({ dataDir: '/tmp', pythonPath: '/no/such/python3' });
    expect(python).toMatchObject({ id: 'python', status: 'error' });
    expect(python!.detail).toContain('/no/such/python3');
    expect(python!.fix).toContain('apt-get install python3 python3-matplotlib');
  });

  it('finds matplotlib in the real interpreter (CI installs python3-matplotlib)', async () => {
    const checks = await checkPython({ dataDir: '/tmp', pythonPath: null, env: {} });
    expect(checks.find((c) => c.id === 'matplotlib')).toMatchObject({ status: 'ok' });
  });
});

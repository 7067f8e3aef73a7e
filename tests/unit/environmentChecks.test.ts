import { describe, expect, it } from 'vitest';
import { checkNode, checkPython, pythonCandidates } from '../../main/engine/environmentChecks';

describe('environment checks', () => {
  it('accepts Node 20.19+ and says how to fix older ones', () => {
    expect(checkNode('20.19.0').status).toBe('ok');
    expect(checkNode('22.1.0').status).toBe('ok');
    const old = checkNode('18.20.1');
    expect(old.status).toBe('error');
    expect(old.fix).toMatch(/Install Node\.js 20\.19/);
  });

  it("prefers Debian's interpreter unless one is configured", () => {
    expect(pythonCandidates(null, {})).toEqual(['/usr/bin/python3', 'python3']);
    expect(pythonCandidates(null, { CODEPERCEPT_PYTHON: '/opt/py' })).toEqual(['/opt/py']);
    expect(pythonCandidates('/mine/python', { CODEPERCEPT_PYTHON: '/opt/py' })).toEqual(['/mine/python']);
  });

  it('reports a missing interpreter as an error with the fix', async () => {
    const [python] = await checkPython({ dataDir: '/tmp', pythonPath: '/no/such/python3' });
    expect(python).toMatchObject({ id: 'python', status: 'error' });
    expect(python!.detail).toContain('/no/such/python3');
    expect(python!.fix).toContain('apt-get install python3 python3-matplotlib');
  });

  it('finds matplotlib in the real interpreter (CI installs python3-matplotlib)', async () => {
    const checks = await checkPython({ dataDir: '/tmp', pythonPath: null });
    expect(checks.find((c) => c.id === 'matplotlib')).toMatchObject({ status: 'ok' });
  });
});

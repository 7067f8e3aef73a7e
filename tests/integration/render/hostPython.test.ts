import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPythonPath, probePython } from '../../../main/render/pythonDiscovery';
import { codepercept } from '../../support/cli';
import { makeTempDir } from '../../support/tempDir';

/**
 * Host-side Python never imports from the folder the user works in. A downloaded dataset may hold a
 * `json.py` (the probe imports json) or `matplotlib.py`; run from that folder, the engine used to import
 * them on the host, unsandboxed.
 */
describe('host-side Python invocations', () => {
  const dataset = makeTempDir('codepercept-dataset-cwd-');
  const marker = join(dataset.path, 'RAN-ON-HOST');
  for (const name of ['json.py', 'matplotlib.py', 'numpy.py', 'sitecustomize.py', 'usercustomize.py']) {
    writeFileSync(join(dataset.path, name), `open(${JSON.stringify(marker)}, 'a').write('${name}\\n')\n`);
  }
  afterAll(() => dataset.cleanup());

  it('doctor and render run from a folder with a json.py never run it', async () => {
    const doctor = await codepercept(['doctor', '--json'], 120_000, { cwd: dataset.path });
    expect(doctor.stdout).toContain('matplotlib');
    writeFileSync(join(dataset.path, 'plot.py'), 'import matplotlib.pyplot as plt\nplt.plot([1, 2])\n');
    const render = await codepercept(
      ['render', 'plot.py', '--out-dir', dataset.path, '--data-dir', join(dataset.path, 'data')],
      120_000,
      { cwd: dataset.path },
    );
    expect(render.code, render.stderr).toBe(0);
    expect(existsSync(join(dataset.path, 'plot.png'))).toBe(true);
    expect(existsSync(marker)).toBe(false);
  });

  it('the probe answers in isolated mode', async () => {
    const info = await probePython('/usr/bin/python3');
    expect(info?.matplotlib).toBeTruthy();
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a Python path that is not a Python interpreter before running it', async () => {
    const fake = join(dataset.path, 'evil');
    writeFileSync(fake, `#!/bin/sh\ntouch ${JSON.stringify(marker)}\n`, { mode: 0o755 });
    expect(await checkPythonPath(fake)).toMatch(/is not a Python interpreter/);
    expect(await checkPythonPath('/bin/sh')).toMatch(/is not a Python interpreter/);
    expect(await checkPythonPath(join(dataset.path, 'json.py'))).toMatch(/not executable/);
    expect(await checkPythonPath('/usr/bin/python3')).toBeNull();
    expect(existsSync(marker)).toBe(false);
  });
});

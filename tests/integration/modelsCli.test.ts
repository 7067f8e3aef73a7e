import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModelFile, TestModelSet } from '../../main/api/models';
import { codepercept } from '../support/cli';
import { makePng } from '../support/pngFixture';
import { makeTempDir } from '../support/tempDir';
import { writeFileSync } from 'node:fs';

/** The built CLI end to end: make the test models, register, list, inspect, run (streamed and --json). */
describe('codepercept models (built CLI)', () => {
  const dir = makeTempDir();
  const dataDir = join(dir.path, 'data');
  const modelsDir = join(dir.path, 'my-models');
  afterAll(() => dir.cleanup());

  it('make-test-model, add, list, inspect, run text and vision', async () => {
    const made = await codepercept(['models', 'make-test-model', modelsDir, '--json', '--data-dir', dataDir]);
    expect(made.code, made.stderr).toBe(0);
    const set = JSON.parse(made.stdout) as TestModelSet;

    const added = await codepercept(['models', 'add', set.text, '--name', 'tiny', '--data-dir', dataDir]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('Registered tiny');

    const listed = await codepercept(['models', 'add', modelsDir, '--json', '--data-dir', dataDir]);
    expect(listed.code, listed.stderr).toBe(0);
    const list = await codepercept(['models', 'list', '--json', '--data-dir', dataDir]);
    const files = JSON.parse(list.stdout) as ModelFile[];
    expect(files.find((f) => f.name === 'tiny')).toMatchObject({ registered: true, architecture: 'llama' });
    expect(files.find((f) => f.path === set.vision)).toMatchObject({ vision: true, mmprojPath: set.mmproj });

    const inspected = await codepercept(['models', 'inspect', 'tiny', '--json', '--data-dir', dataDir]);
    expect(inspected.code, inspected.stderr).toBe(0);
    expect(JSON.parse(inspected.stdout)).toMatchObject({ path: set.text, fit: { fits: true } });

    const run = await codepercept([
      'models',
      'run',
      '--model',
      'tiny',
      '--prompt',
      'hello',
      '--max-tokens',
      '12',
      '--seed',
      '3',
      '--threads',
      '1',
      '--data-dir',
      dataDir,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(1);
    expect(run.stderr).toMatch(
      /\[node-llama-cpp, cpu\] \d+ prompt \+ 12 completion tokens, [\d.]+ tokens\/s/,
    );

    const image = join(dir.path, 'fig.png');
    writeFileSync(image, makePng(28, 28, 1));
    const vision = await codepercept([
      'models',
      'run',
      '--model',
      set.vision,
      '--image',
      image,
      '--prompt',
      'what',
      '--max-tokens',
      '8',
      '--threads',
      '1',
      '--json',
      '--data-dir',
      dataDir,
    ]);
    expect(vision.code, vision.stderr).toBe(0);
    const answer = JSON.parse(vision.stdout) as {
      model: { engine: string; vision: boolean };
      result: { tokens: { completion: number } };
    };
    expect(answer.model).toMatchObject({ engine: 'llama.node', vision: true });
    expect(answer.result.tokens.completion).toBeGreaterThan(0);
  }, 120_000);

  it('says clearly when a model does not exist', async () => {
    const run = await codepercept([
      'models',
      'run',
      '--model',
      'nope',
      '--prompt',
      'x',
      '--data-dir',
      dataDir,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/No model named "nope"/);
  });
});

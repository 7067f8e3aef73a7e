import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../main/api/client';
import { createEngine } from '../../main/engine/engine';
import type { Engine } from '../../main/engine/engine';
import { connectInProcess } from '../../main/engine/inProcessClient';
import { repoRoot } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';

const HEADER = 'label,benchmark,captioner,captioner_params,solver,solver_params,accuracy,n,low,high';

describe('scaling.external.* through the in-process API (real engine, real SQLite)', () => {
  const dir = makeTempDir('codepercept-external-api-');
  let engine: Engine;
  let client: ApiClient;

  beforeAll(() => {
    engine = createEngine({
      dataDir: dir.path,
      command: 'external results test',
      log: () => {},
      environmentChecks: async () => [],
    });
    client = connectInProcess(engine);
  });

  afterAll(async () => {
    client.close();
    await engine.dispose();
    dir.cleanup();
  });

  it('starts empty when the sample is not loaded', async () => {
    expect(await client.call('scaling.external.list', {})).toEqual([]);
  });

  it('imports the bundled paper CSV, lists it with its source, and removes it', async () => {
    const csv = readFileSync(
      join(repoRoot, 'resources/sample/scaling-demo/paper-captioner-solver.csv'),
      'utf8',
    );
    const set = await client.call('scaling.external.import', {
      name: 'paper',
      source: 'CodePercept, captioner–solver table',
      csv,
    });
    expect(set.results).toHaveLength(28);
    expect(
      set.results.find((r) => r.captioner === 'CodePercept-4B-S1' && r.benchmark === 'MathVision'),
    ).toMatchObject({ accuracy: 0.5763, captionerParams: 4e9, solverParams: 30e9, n: null });

    const listed = await client.call('scaling.external.list', {});
    expect(listed).toEqual([set]);

    expect(await client.call('scaling.external.remove', { id: set.id })).toEqual({ removed: true });
    expect(await client.call('scaling.external.remove', { id: set.id })).toEqual({ removed: false });
    expect(await client.call('scaling.external.list', {})).toEqual([]);
  });

  it('refuses a bad CSV with every problem named by line and column, and stores nothing', async () => {
    const csv = [
      HEADER,
      'lab,overall,cap,2e9,solver,7e9,abc,,,',
      'lab,overall,cap2,2B,solver,7B,0.5,,,',
      'lab,overall,cap3,lots,solver,7B,0.6,,,',
    ].join('\n');
    const error = await client.call('scaling.external.import', { name: 'lab', csv }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'INVALID_PARAMS',
      details: {
        errors: [
          { line: 2, column: 'accuracy', message: '"abc" is not a number' },
          {
            line: 4,
            column: 'captioner_params',
            message: '"lots" is not a parameter count (a number like 7e9, or 4B, 0.5B, 120M)',
          },
        ],
      },
    });
    expect((error as Error).message).toContain('line 2, column accuracy: "abc" is not a number');
    expect(await client.call('scaling.external.list', {})).toEqual([]);
    const rows = engine.store.db.prepare('SELECT COUNT(*) AS n FROM scaling_external_sets').get() as {
      n: number;
    };
    expect(rows.n).toBe(0);
  });

  it('validates the call itself: a name is required', async () => {
    await expect(
      client.call('scaling.external.import', { name: '', csv: `${HEADER}\na,b,c,,d,,0.5,,,` }),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
  });

  it('keeps sets across restarts of the engine (stored in the data dir)', async () => {
    const set = await client.call('scaling.external.import', {
      name: 'kept',
      csv: `${HEADER}\nrun,overall,cap,1B,,,41.5%,200,,`,
    });
    client.close();
    await engine.dispose();
    engine = createEngine({
      dataDir: dir.path,
      command: 'external results test, again',
      log: () => {},
      environmentChecks: async () => [],
    });
    client = connectInProcess(engine);
    const listed = await client.call('scaling.external.list', {});
    expect(listed).toEqual([set]);
    expect(listed[0]!.results[0]).toMatchObject({ solver: null, accuracy: 0.415, n: 200 });
  });
});

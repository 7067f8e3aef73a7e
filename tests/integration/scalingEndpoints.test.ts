import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../main/api/client';
import type { StudyCell } from '../../main/api/scaling';
import { createEngine } from '../../main/engine/engine';
import type { Engine } from '../../main/engine/engine';
import { connectInProcess } from '../../main/engine/inProcessClient';
import { CAPTION_PROMPT, CODE_PROMPT } from '../../main/scaling/prompts';
import { requestText, startFakeJudgeServer } from '../support/fakeJudgeServer';
import type { JudgeRequestBody } from '../support/fakeJudgeServer';
import { repoRoot } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';
import { VQA_ITEMS, imageBase64, writeVqaFixture } from '../support/vqaFixture';

/**
 * A 2 × 2 study (plus the direct baseline) against OpenAI-compatible endpoints served by a real local HTTP
 * server with scripted replies, so answers are right or wrong by design and every accuracy can be checked
 * against a hand count. Tiny GGUF models only write noise; this is where correct answers are exercised.
 */

const CAPTIONERS = ['cap-small', 'cap-large'];
const SOLVERS = ['solver-small', 'solver-large'];
/** cap-small returns an empty caption for this item: a failure both solvers must show. */
const EMPTY_CAPTION_ITEM = 5;

const images = VQA_ITEMS.map(imageBase64);
const itemOfImage = (body: JudgeRequestBody) => {
  const url = body.messages
    .flatMap((m) => (typeof m.content === 'string' ? [] : m.content))
    .find((p) => p.type === 'image_url')?.image_url?.url;
  return url ? images.findIndex((b64) => url.endsWith(b64)) : -1;
};
const itemOfQuestion = (body: JudgeRequestBody) =>
  VQA_ITEMS.findIndex((item) => requestText(body).includes(item.question));

/** The right answer written the way a model might: the fraction as a decimal, the option as its text. */
const rightAnswer = (index: number) => (index === 3 ? '0.5' : VQA_ITEMS[index]!.answer);
const solverRight = (captioner: string, solver: string, index: number) =>
  index % 2 === 0 || (captioner === 'cap-large' && solver === 'solver-large');
const directRight = (index: number) => index % 3 === 0;

function reply(body: JudgeRequestBody): string {
  const text = requestText(body);
  if (CAPTIONERS.includes(body.model)) {
    const index = itemOfImage(body);
    if (text.includes(CODE_PROMPT)) {
      // Prose around a fenced block: only the code may reach the solver.
      return `Here is code that redraws it.\n\n\`\`\`python\nfigure_index = ${index}  # by ${body.model}\n\`\`\`\nHope this helps.`;
    }
    if (text.includes(CAPTION_PROMPT)) {
      if (body.model === 'cap-small' && index === EMPTY_CAPTION_ITEM) return '';
      return `Caption by ${body.model} of figure ${index}: axes, labels and values.`;
    }
    return directRight(index) ? `Looking at it.\nAnswer: ${rightAnswer(index)}` : 'Answer: 99';
  }
  const index = itemOfQuestion(body);
  const captioner = /Caption by cap-large|# by cap-large/.test(text) ? 'cap-large' : 'cap-small';
  return solverRight(captioner, body.model, index)
    ? `From the description the result follows.\n\nAnswer: ${rightAnswer(index)}`
    : 'The description does not settle it.\n\nAnswer: 99';
}

describe('scaling study against scripted endpoints', () => {
  const dir = makeTempDir('codepercept-scaling-endpoints-');
  let engine: Engine;
  let client: ApiClient;
  let server: Awaited<ReturnType<typeof startFakeJudgeServer>>;
  let datasetId: number;
  let studyId: string;

  beforeAll(async () => {
    server = await startFakeJudgeServer(reply);
    engine = createEngine({
      dataDir: join(dir.path, 'data'),
      command: 'scaling endpoints test',
      log: () => {},
      environmentChecks: async () => [],
    });
    client = connectInProcess(engine);
    const file = writeVqaFixture(join(dir.path, 'fixture'));
    const job = await client.call('datasets.import', { path: file, format: 'vqa', name: 'tiny-vqa' });
    expect((await engine.jobs.waitFor(job.id)).state).toBe('done');
    datasetId = engine.catalog.datasets.resolve('tiny-vqa').id;
    for (const name of [...CAPTIONERS, ...SOLVERS])
      await client.call('endpoints.save', { name, baseUrl: server.baseUrl, model: name, apiKey: null });
  }, 60_000);

  afterAll(async () => {
    client.close();
    await engine.dispose();
    await server.close();
    dir.cleanup();
  });

  const endpoint = (name: string, parameters?: number) => ({
    label: name,
    spec: { kind: 'endpoint' as const, endpoint: name },
    ...(parameters ? { parameters } : {}),
  });

  it('rejects bad studies with errors that name the field', async () => {
    const base = {
      name: 'bad',
      datasetId,
      captioners: [endpoint('cap-small')],
      solvers: [endpoint('solver-small')],
    };
    await expect(
      client.call('scaling.start', { ...base, captioners: [endpoint('cap-small'), endpoint('cap-small')] }),
    ).rejects.toThrow(/captioners\[1\]\.label: "cap-small" is used twice/);
    await expect(
      client.call('scaling.start', { ...base, solvers: [endpoint('no-such-endpoint')] }),
    ).rejects.toThrow(/solvers\[0\].*no endpoint named "no-such-endpoint"/);
    await expect(client.call('scaling.start', { ...base, datasetId: 9999 })).rejects.toThrow(
      /datasetId: no dataset with id 9999/,
    );
    await expect(client.call('scaling.start', { ...base, solvers: [] })).rejects.toThrow(
      /solvers: give at least one/,
    );
    const icc = await client.call('datasets.import', {
      path: join(repoRoot, 'resources/sample/icc-sample/items.jsonl'),
      format: 'jsonl',
      name: 'icc',
      imagesRoot: join(repoRoot, 'resources/sample'),
    });
    expect((await engine.jobs.waitFor(icc.id)).state).toBe('done');
    const iccId = engine.catalog.datasets.resolve('icc').id;
    await expect(client.call('scaling.start', { ...base, datasetId: iccId })).rejects.toThrow(
      /datasetId: dataset "icc" is of kind icc; a study needs a vqa dataset/,
    );
    // Nothing was stored by the rejected calls.
    expect(await client.call('scaling.studies', {})).toEqual([]);
  });

  it('runs the 2 × 2 grid and the direct baseline in model order, each caption once', async () => {
    const started = await client.call('scaling.start', {
      name: 'grid',
      datasetId,
      captioners: [endpoint('cap-small', 2e9), endpoint('cap-large', 8e9)],
      solvers: [endpoint('solver-small', 1e9), endpoint('solver-large')],
      settings: { direct: true, concurrency: 2, maxTokens: 64 },
    });
    studyId = started.studyId;
    const final = await engine.jobs.waitFor(started.job.id);
    const n = VQA_ITEMS.length;
    expect(final, final.error ?? '').toMatchObject({ state: 'done', failed: 0 });
    expect(final.units).toMatchObject({ label: 'answers', done: n * 6, total: n * 6 });

    // One model at a time, in plan order: captioner A (captions, then its direct answers), captioner B,
    // then each solver.
    const order = server.bodies.map((b) => b.model);
    const span = (model: string) => [order.indexOf(model), order.lastIndexOf(model)] as const;
    const spans = ['cap-small', 'cap-large', 'solver-small', 'solver-large'].map(span);
    for (let k = 1; k < spans.length; k++) expect(spans[k - 1]![1]).toBeLessThan(spans[k]![0]);
    const smallCalls = server.bodies.filter((b) => b.model === 'cap-small').map((b) => requestText(b));
    expect(smallCalls.findLastIndex((t) => t.includes(CAPTION_PROMPT))).toBeLessThan(
      smallCalls.findIndex((t) => t.includes('Question:')),
    );
    // Each caption computed once per (captioner, item); a failed caption is not sent to the solvers.
    const count = (model: string, kind?: string) =>
      server.bodies.filter((b) => b.model === model && (!kind || requestText(b).includes(kind))).length;
    expect(count('cap-small', CAPTION_PROMPT)).toBe(n);
    expect(count('cap-large', CAPTION_PROMPT)).toBe(n);
    expect(count('solver-small')).toBe(2 * n - 1);
    expect(count('solver-large')).toBe(2 * n - 1);
    const attempts = engine.store.db
      .prepare(
        'SELECT kind, COUNT(*) AS n FROM scaling_attempts WHERE study_id = ? GROUP BY kind ORDER BY kind',
      )
      .all(studyId);
    expect(attempts).toEqual([
      { kind: 'answer', n: 2 * (2 * n - 1) },
      { kind: 'caption', n: 2 * n },
      { kind: 'direct', n: 2 * n },
    ]);

    const detail = await client.call('scaling.study', { id: studyId });
    expect(detail).toMatchObject({ status: 'completed', done: n * 6, total: n * 6, items: n });
    expect(detail.captions).toEqual({ computed: 2 * n - 1, cached: 0 });
    expect(detail.captioners.map((m) => [m.label, m.parameters, m.parametersSource])).toEqual([
      ['cap-small', 2e9, 'user'],
      ['cap-large', 8e9, 'user'],
    ]);
    expect(detail.solvers.map((m) => [m.label, m.parameters, m.parametersSource])).toEqual([
      ['solver-small', 1e9, 'user'],
      ['solver-large', null, 'none'],
    ]);
    const cell = (captioner: string, solver: string | null) =>
      detail.cells.find((c) => c.captioner === captioner && c.solver === solver)!;
    expect(detail.cells).toHaveLength(6);
    for (const captioner of CAPTIONERS) {
      for (const solver of SOLVERS) {
        const right = VQA_ITEMS.filter(
          (_, i) =>
            solverRight(captioner, solver, i) && !(captioner === 'cap-small' && i === EMPTY_CAPTION_ITEM),
        ).length;
        expect(cell(captioner, solver), `${captioner} → ${solver}`).toMatchObject({
          kind: 'pipeline',
          pending: 0,
          failed: captioner === 'cap-small' ? 1 : 0,
          overall: { n, correct: right, mean: right / n },
        });
      }
      expect(cell(captioner, null)).toMatchObject({
        kind: 'direct',
        overall: { n, correct: 2, mean: 2 / 6 },
      });
    }
    // Hand-computed: cap-small → solver-small gets items 0, 2, 4 (MathVista 0, 2; MathVision 4); 5 failed.
    const small: StudyCell = cell('cap-small', 'solver-small');
    expect(small.byBenchmark.MathVista).toMatchObject({ n: 3, correct: 2 });
    expect(small.byBenchmark.MathVision).toMatchObject({ n: 3, correct: 1 });
    expect(small.macro).toBeCloseTo((2 / 3 + 1 / 3) / 2, 12);
    expect(small.byCategory).toMatchObject({
      chart: { n: 3, correct: 1 },
      counting: { n: 1, correct: 1 },
      algebra: { n: 2, correct: 1 },
    });
    const large = cell('cap-large', 'solver-large');
    expect(large.overall).toMatchObject({ mean: 1, low: 1, high: 1 });
    expect(large.macro).toBe(1);
    // A CI brackets its mean, and the same answers give the same interval (fixed seed).
    expect(small.overall.low!).toBeLessThanOrEqual(small.overall.mean!);
    expect(small.overall.high!).toBeGreaterThanOrEqual(small.overall.mean!);
    expect((await client.call('scaling.study', { id: studyId })).cells).toEqual(detail.cells);

    // The study list shows it finished.
    const [info] = await client.call('scaling.studies', {});
    expect(info).toMatchObject({ id: studyId, name: 'grid', status: 'completed', datasetName: 'tiny-vqa' });
  });

  it('pages a cell’s items with caption, response and verdict, and filters them', async () => {
    const all = await client.call('scaling.items', {
      id: studyId,
      cell: { captioner: 'cap-small', solver: 'solver-small' },
    });
    expect(all.total).toBe(VQA_ITEMS.length);
    const failed = all.items.find((i) => i.uid === `q${EMPTY_CAPTION_ITEM}`)!;
    expect(failed).toMatchObject({ correct: false, caption: null, response: null });
    expect(failed.error).toMatch(/caption failed: empty caption/);
    const q3 = all.items.find((i) => i.uid === 'q3')!;
    expect(q3).toMatchObject({ benchmark: 'MathVision', category: 'algebra', answer: '\\frac{1}{2}' });
    expect(q3.caption).toContain('Caption by cap-small');
    expect(q3.extracted).toBe('99');
    const q1 = all.items.find((i) => i.uid === 'q1')!;
    expect(q1).toMatchObject({ choices: ['red', 'blue', 'green', 'black'], correct: false });

    const right = await client.call('scaling.items', {
      id: studyId,
      cell: { captioner: 'cap-large', solver: 'solver-small' },
      correct: true,
    });
    expect(right.items.map((i) => i.uid)).toEqual(['q0', 'q2', 'q4']);
    const page = await client.call('scaling.items', {
      id: studyId,
      cell: { captioner: 'cap-large', solver: 'solver-large' },
      benchmark: 'MathVision',
      offset: 1,
      limit: 1,
    });
    expect(page).toMatchObject({ total: 3, items: [{ uid: 'q4', correct: true, extracted: 'triangle' }] });
    const direct = await client.call('scaling.items', {
      id: studyId,
      cell: { captioner: 'cap-large', solver: null },
      category: 'algebra',
    });
    expect(direct.items.map((i) => [i.uid, i.correct, i.caption])).toEqual([
      ['q3', true, null],
      ['q4', false, null],
    ]);
    await expect(
      client.call('scaling.items', { id: studyId, cell: { captioner: 'nobody', solver: null } }),
    ).rejects.toThrow(/cell\.captioner: .*no captioner "nobody"/);
  });

  it('sets and clears a model’s parameter count', async () => {
    const set = await client.call('scaling.setParameters', {
      id: studyId,
      role: 'solver',
      label: 'solver-large',
      parameters: 7e9,
    });
    expect(set.solvers[1]).toMatchObject({ parameters: 7e9, parametersSource: 'user' });
    const cleared = await client.call('scaling.setParameters', {
      id: studyId,
      role: 'captioner',
      label: 'cap-small',
      parameters: null,
    });
    expect(cleared.captioners[0]).toMatchObject({ parameters: null, parametersSource: 'none' });
    await expect(
      client.call('scaling.setParameters', {
        id: studyId,
        role: 'solver',
        label: 'cap-small',
        parameters: 1,
      }),
    ).rejects.toThrow(/label: .*has no solver "cap-small"/);
  });

  it('serves a second study’s captions from the cache', async () => {
    const before = server.bodies.length;
    const { studyId: second, job } = await client.call('scaling.start', {
      name: 'again',
      datasetId,
      captioners: [endpoint('cap-large')],
      solvers: [endpoint('solver-small')],
      settings: { concurrency: 2, maxTokens: 64 },
    });
    expect((await engine.jobs.waitFor(job.id)).state).toBe('done');
    const fresh = server.bodies.slice(before);
    expect(fresh.filter((b) => b.model === 'cap-large')).toHaveLength(0);
    expect(fresh.filter((b) => b.model === 'solver-small')).toHaveLength(VQA_ITEMS.length);
    const detail = await client.call('scaling.study', { id: second });
    expect(detail.captions).toEqual({ computed: 0, cached: VQA_ITEMS.length });
    // The same captions give the same answers as in the first study.
    const first = await client.call('scaling.study', { id: studyId });
    const pick = (cells: StudyCell[]) =>
      cells.find((c) => c.captioner === 'cap-large' && c.solver === 'solver-small')!;
    expect(pick(detail.cells).overall).toEqual(pick(first.cells).overall);
  });
  it('code variant: the captioner writes code, the solver gets only the extracted code', async () => {
    const before = server.bodies.length;
    const { studyId: codeStudy, job } = await client.call('scaling.start', {
      name: 'code',
      datasetId,
      captioners: [endpoint('cap-large')],
      solvers: [endpoint('solver-large')],
      settings: { variant: 'code', concurrency: 2, maxTokens: 64 },
    });
    expect((await engine.jobs.waitFor(job.id)).state).toBe('done');
    const fresh = server.bodies.slice(before);
    // Code captions are a different prompt, so none come from the description cache of the earlier studies.
    const captionCalls = fresh.filter((b) => b.model === 'cap-large');
    expect(captionCalls).toHaveLength(VQA_ITEMS.length);
    for (const body of captionCalls) expect(requestText(body)).toContain(CODE_PROMPT);
    const solverCalls = fresh.filter((b) => b.model === 'solver-large');
    expect(solverCalls).toHaveLength(VQA_ITEMS.length);
    for (const body of solverCalls) {
      const text = requestText(body);
      expect(text).toMatch(/figure_index = \d+ {2}# by cap-large/);
      expect(text).not.toContain('Hope this helps.');
    }
    const detail = await client.call('scaling.study', { id: codeStudy });
    expect(detail.variant).toBe('code');
    expect(detail.captions).toEqual({ computed: VQA_ITEMS.length, cached: 0 });
    // cap-large → solver-large answers every item right by the script.
    expect(detail.cells[0]!.overall).toMatchObject({
      correct: VQA_ITEMS.length,
      n: VQA_ITEMS.length,
      mean: 1,
    });
    const { items } = await client.call('scaling.items', {
      id: codeStudy,
      cell: { captioner: 'cap-large', solver: 'solver-large' },
    });
    expect(items[0]!.caption).toMatch(/^figure_index = \d+ {2}# by cap-large$/);
  });
});

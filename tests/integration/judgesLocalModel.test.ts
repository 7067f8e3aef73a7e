/**
 * The judges through a real local model: a generated tiny GGUF (random weights) loaded by ModelService in its
 * own host process. Its replies are noise: an unparsable one is a failure, counted and reported with a null
 * score, never turned into a 0; one that happens to hold a number is scored by the protocol's fallback rule,
 * which the audit flags.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatRequest, ChatResult } from '../../main/api/models';
import { judgeCode } from '../../main/eval/judges/codeJudge';
import { judgeImage } from '../../main/eval/judges/imageJudge';
import { auditJudge } from '../../main/eval/judges/judgeAudit';
import { readJudgeScore } from '../../main/eval/judges/judgeRunner';
import { parseJudgeScore } from '../../main/eval/protocol/judgeScore';
import type { ChatModel } from '../../main/models/chatEngine';
import { ModelService } from '../../main/models/modelService';
import { openWorkbenchStore } from '../../main/store/workbenchStore';
import type { WorkbenchStore } from '../../main/store/workbenchStore';
import { useFreshModelHost } from '../fixtures/modelHost';
import { writeTestModels, writeTinyTextModel } from '../fixtures/tinyGguf';
import { makePng } from '../support/pngFixture';
import { makeTempDir } from '../support/tempDir';

// One thread: these machines are shared and oversubscribed threads make llama.cpp crawl.
const OPTIONS = { contextSize: 4096, threads: 1 } as const;
// A judgment is up to 2,048 generated tokens (about 4 s here on one thread); an audit is four of them.
const SLOW = 120_000;

/** Wraps a model to keep every reply it gives, so the test can show what the judge was reading. */
function recording(model: ChatModel): { model: ChatModel; replies: string[] } {
  const replies: string[] = [];
  return {
    replies,
    model: {
      kind: model.kind,
      vision: model.vision,
      describe: () => model.describe(),
      unload: () => model.unload(),
      chat: async (request: ChatRequest, options) => {
        const result: ChatResult = await model.chat(request, options);
        replies.push(result.text);
        return result;
      },
    },
  };
}

const codes = {
  referenceCode: 'import matplotlib.pyplot as plt\nplt.plot([0, 1, 2], [0, 1, 4])\nplt.title("y = x^2")',
  candidateCode: 'import matplotlib.pyplot as plt\nplt.plot([0, 1, 2], [0, 1, 4], "r--")',
};

describe('judges through a tiny local GGUF', () => {
  const dir = makeTempDir('codepercept-judge-gguf-');
  const dataDir = join(dir.path, 'data');
  // Weights are seeded, so each model's greedy (temperature 0) noise is fixed. Seed 3 babbles thousands of
  // characters holding no number at all; seed 1 (the default test model) happens to start its noise with "9".
  const noDigits = join(dir.path, 'noise-seed3.gguf');
  const startsWithNine = join(dir.path, 'noise-seed1.gguf');
  let store: WorkbenchStore;
  let service: ModelService;

  beforeAll(async () => {
    const hostEntry = await useFreshModelHost();
    store = openWorkbenchStore(dataDir, 'judges test');
    service = new ModelService({
      db: store.db,
      dataDir,
      hostEntry: () => hostEntry,
      onState: () => {},
      log: () => {},
    });
    writeTinyTextModel(noDigits, { seed: 3 });
    writeTinyTextModel(startsWithNine, { seed: 1 });
  });

  afterAll(async () => {
    await service.dispose();
    store.close();
    dir.cleanup();
  });

  async function load(path: string): Promise<ChatModel> {
    const loaded = await service.load({ model: path, options: OPTIONS });
    expect(loaded).toMatchObject({ engine: 'node-llama-cpp', state: 'ready', vision: false });
    return service.get(loaded.id);
  }

  describe('a judge whose replies are noise without numbers', () => {
    let judge: ChatModel;
    beforeAll(async () => {
      judge = await load(noDigits);
    });

    it(
      'every reply is a parse failure: each attempt counted, score null, the reason given',
      async () => {
        const { model, replies } = recording(judge);
        const judgment = await judgeCode(model, codes, { attempts: 3 });
        expect(replies).toHaveLength(3);
        for (const reply of replies) {
          expect(reply.length).toBeGreaterThan(100);
          expect(parseJudgeScore(reply)).toEqual({ score: null, rule: 'none' });
        }
        expect(judgment).toMatchObject({ score: null, attempts: 3, failures: 3, reply: replies[2] });
        expect(judgment.error).toMatch(/^No score after 3 attempts — attempt 1: the reply had no score/);
      },
      SLOW,
    );

    it(
      'its audit finds nothing to trust',
      async () => {
        const report = await auditJudge(
          judge,
          [
            {
              id: 'only',
              reference: codes.referenceCode,
              candidate: codes.candidateCode,
              metrics: { ssim: 0.7 },
            },
          ],
          { kind: 'code', attempts: 1 },
        );
        expect(report).toMatchObject({
          judgments: 4,
          failedJudgments: 4,
          failedAttempts: 4,
          self: { scored: 0, mean: null },
          repeat: { pairs: 0 },
          swapped: { pairs: 0 },
        });
        expect(Object.fromEntries(report.findings.map((f) => [f.check, f.level]))).toEqual({
          self: 'unknown',
          repeat: 'unknown',
          swapped: 'unknown',
          metrics: 'unknown',
          failures: 'poor',
          format: 'unknown',
        });
      },
      SLOW,
    );

    it('a text-only model is refused as the image judge before any call', async () => {
      const png = join(dir.path, 'figure.png');
      writeFileSync(png, makePng(8, 8));
      const { model, replies } = recording(judge);
      await expect(
        judgeImage(model, { referenceImage: png, candidateImage: png }, { attempts: 2 }),
      ).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
      expect(replies).toHaveLength(0);
    });
  });

  describe('an image judge on llama.node (tiny vision model + projector)', () => {
    it(
      'judges with both images; every judgment is its reply read by the protocol rule, and repeatable',
      async () => {
        const set = writeTestModels(join(dir.path, 'vision'));
        const loaded = await service.load({ model: set.vision, mmproj: set.mmproj, options: OPTIONS });
        expect(loaded).toMatchObject({ engine: 'llama.node', vision: true, state: 'ready' });
        const reference = join(dir.path, 'reference.png');
        const candidate = join(dir.path, 'candidate.png');
        writeFileSync(reference, makePng(32, 24, 1));
        writeFileSync(candidate, makePng(32, 24, 2));
        const report = await auditJudge(
          service.get(loaded.id),
          [{ id: 'fig', reference, candidate, metrics: { ssim: 0.4 } }],
          { kind: 'image', attempts: 2 },
        );
        const item = report.perItem[0]!;
        const judgments = [item.self, item.first, item.repeat, item.swapped];
        for (const j of judgments) {
          expect(j.reply.length).toBeGreaterThan(0);
          const parsed = readJudgeScore(j.reply);
          if (j.score === null)
            expect(j).toMatchObject({ attempts: 2, failures: 2, error: expect.any(String) });
          else expect(j).toMatchObject({ score: parsed.score, failures: j.attempts - 1, error: null });
        }
        // Temperature 0 with a fixed seed per attempt: the same question twice gets the same answer.
        expect(item.repeat).toEqual(item.first);
        expect(report.repeat).toMatchObject({ pairs: 1, meanAbsDiff: 0, exactShare: 1 });
        expect(report.failedAttempts).toBe(judgments.reduce((s, j) => s + j.failures, 0));
      },
      SLOW,
    );
  });

  describe('a judge whose noise happens to hold a number', () => {
    it(
      'the published fallback rule reads a "score" from it; the audit flags the format',
      async () => {
        const { model, replies } = recording(await load(startsWithNine));
        const judgment = await judgeCode(model, codes, { attempts: 3 });
        // The protocol's rule, kept as published: no "Score: N/100" line, so the last integer not followed by
        // "/" counts. Here that is the "9" the noise starts with.
        expect(replies).toHaveLength(1);
        expect(parseJudgeScore(replies[0]!)).toEqual({ score: judgment.score, rule: 'last-integer' });
        expect(judgment).toMatchObject({ attempts: 1, failures: 0, error: null });
        const report = await auditJudge(
          model,
          [{ id: 'only', reference: codes.referenceCode, candidate: codes.candidateCode }],
          { kind: 'code', attempts: 1 },
        );
        expect(report.fallbackScores).toBe(report.judgments - report.failedJudgments);
        expect(report.fallbackScores).toBeGreaterThan(0);
        const format = report.findings.find((f) => f.check === 'format')!;
        expect(format.level).toBe('poor');
        expect(format.message).toMatch(/read from the last number in the reply/);
      },
      SLOW,
    );
  });
});

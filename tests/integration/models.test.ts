import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../main/api/client';
import type { ChatRequestInput, LoadedModel } from '../../main/api/models';
import { chatRequestSchema } from '../../main/api/models';
import { createEngine } from '../../main/engine/engine';
import type { Engine } from '../../main/engine/engine';
import { ModelHost } from '../../main/models/host/modelHost';
import { connectInProcess } from '../../main/engine/inProcessClient';
import { useFreshModelHost } from '../fixtures/modelHost';
import { writeTestModels, writeTinyTextModel } from '../fixtures/tinyGguf';
import type { TestModelSet } from '../fixtures/tinyGguf';
import { makePng } from '../support/pngFixture';
import { makeTempDir } from '../support/tempDir';

/**
 * Real model loading on generated tiny GGUFs, through the engine's API, each model in its own host process:
 * node-llama-cpp for text, @fugood/llama.node for vision. Output is noise, so the checks are structural.
 */

// One thread: these machines are shared and oversubscribed threads make llama.cpp crawl.
const OPTIONS = { contextSize: 2048, threads: 1 } as const;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function ask(text: string, extra: Partial<ChatRequestInput> = {}): ChatRequestInput {
  return { messages: [{ role: 'user', content: text }], maxTokens: 24, seed: 7, ...extra };
}

describe('local models in host processes', () => {
  const dir = makeTempDir();
  const modelsDir = join(dir.path, 'data', 'models');
  let set: TestModelSet;
  let engine: Engine;
  let client: ApiClient;
  const states: LoadedModel[] = [];

  beforeAll(async () => {
    await useFreshModelHost();
    set = writeTestModels(modelsDir);
    writeTinyTextModel(join(modelsDir, 'broken-ffn.gguf'), { malformed: 'missing-feed-forward-length' });
    writeTinyTextModel(join(modelsDir, 'cut.gguf'), { malformed: 'truncated' });
    writeFileSync(join(modelsDir, 'clip-sim.onnx'), Buffer.from('not really onnx'));
    engine = createEngine({
      dataDir: join(dir.path, 'data'),
      command: 'models test',
      log: () => {},
      environmentChecks: () => Promise.resolve([]),
    });
    client = connectInProcess(engine);
    client.on('models.state', (s) => states.push(s));
  });

  afterAll(async () => {
    client.close();
    await engine.dispose();
    dir.cleanup();
  });

  it('lists GGUF and ONNX files with metadata read without loading, pairing the projector by name', async () => {
    const list = await client.call('models.list', {});
    const byFile = (name: string) => list.find((m) => m.path.endsWith(`/${name}`))!;
    const text = byFile('tiny-text.gguf');
    // 306 tokens × 64 (embedding and output) + 2 blocks × (4·64² attention + 3·64·128 FFN + 2·64 norms) + 64.
    expect(text).toMatchObject({
      format: 'gguf',
      architecture: 'llama',
      parameterCount: 2 * 306 * 64 + 2 * (4 * 64 * 64 + 3 * 64 * 128 + 2 * 64) + 64,
      quantization: 'F32',
      contextLength: 4096,
      hasChatTemplate: true,
      vision: false,
      mmprojPath: null,
      error: null,
    });
    expect(byFile('tiny-vision.gguf')).toMatchObject({ vision: true, mmprojPath: set.mmproj });
    expect(byFile('mmproj-tiny-vision.gguf')).toMatchObject({ isProjector: true, architecture: 'clip' });
    expect(byFile('cut.gguf').error).toMatch(/incomplete/);
    expect(byFile('clip-sim.onnx')).toMatchObject({ format: 'onnx', error: null });
  });

  it('registers a model under a name and finds it by that name', async () => {
    const added = await client.call('models.add', { path: set.text, name: 'tiny' });
    expect(added.models[0]).toMatchObject({ name: 'tiny', registered: true, path: set.text });
    expect((await client.call('models.inspect', { model: 'tiny' })).path).toBe(set.text);
    await expect(client.call('models.add', { path: set.mmproj })).rejects.toThrow(/projector/);
  });

  it('estimates the fit from GGUF insights', async () => {
    const fit = await client.call('models.fit', { model: 'tiny', contextSize: 2048 });
    expect(fit).toMatchObject({ fits: true, gpuLayers: 0, contextSize: 2048 });
    expect(fit.ramBytes).toBeGreaterThan(0);
    // Asked again for the same unchanged file, the estimate comes from the cache: no second host start.
    const starts = vi.spyOn(ModelHost, 'start');
    try {
      expect(await client.call('models.fit', { model: 'tiny', contextSize: 2048 })).toEqual(fit);
      expect(starts).not.toHaveBeenCalled();
      await client.call('models.fit', { model: 'tiny', contextSize: 1024 });
      expect(starts).toHaveBeenCalledTimes(1);
    } finally {
      starts.mockRestore();
    }
  });

  describe('text model through node-llama-cpp', () => {
    let model: LoadedModel;

    beforeAll(async () => {
      states.length = 0;
      model = await client.call('models.load', { model: 'tiny', options: { ...OPTIONS, parallel: 4 } });
    });

    it('loads in its own process and reports progress, then ready', () => {
      expect(model).toMatchObject({ engine: 'node-llama-cpp', state: 'ready', vision: false, error: null });
      expect(model.pid).not.toBe(process.pid);
      expect(alive(model.pid!)).toBe(true);
      expect(model.memory!.rssBytes).toBeGreaterThan(0);
      const mine = states.filter((s) => s.id === model.id);
      const progress = mine.filter((s) => s.state === 'loading').map((s) => s.progress);
      expect(progress.length).toBeGreaterThan(2);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(mine.at(-1)!.state).toBe('ready');
    });

    it('streams tokens whose concatenation is the answer; the same seed gives the same answer', async () => {
      const chunks: string[] = [];
      const first = await client.call(
        'models.chat',
        { id: model.id, request: ask('the plot shows') },
        { onChunk: (c) => chunks.push(c.text) },
      );
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.join('')).toBe(first.text);
      expect(first.tokens.prompt).toBeGreaterThan(3);
      expect(first.tokens.completion).toBeGreaterThan(0);
      expect(first.tokens.completion).toBeLessThanOrEqual(24);
      expect(first.stopReason === 'maxTokens' ? first.tokens.completion : 24).toBe(24);
      expect(first.timings.firstTokenMs).toBeGreaterThan(0);
      expect(first.timings.totalMs).toBeGreaterThanOrEqual(first.timings.firstTokenMs!);
      const again = await client.call('models.chat', { id: model.id, request: ask('the plot shows') });
      expect(again.text).toBe(first.text);
    });

    it('stops mid-generation when aborted, answers with the text so far, and keeps working', async () => {
      const controller = new AbortController();
      let chunks = 0;
      const request = chatRequestSchema.parse(ask('the plot shows', { maxTokens: 5000, temperature: 0 }));
      const result = await engine.models.get(model.id).chat(request, {
        signal: controller.signal,
        onToken: () => {
          if (++chunks === 3) controller.abort();
        },
      });
      expect(result.stopReason).toBe('aborted');
      expect(result.tokens.completion).toBeLessThan(200);
      // Cancelling the API call stops the host's generation too (the call rejects as cancelled).
      const apiController = new AbortController();
      const cancelled = client.call(
        'models.chat',
        { id: model.id, request: ask('x', { maxTokens: 5000 }) },
        { signal: apiController.signal, onChunk: () => apiController.abort() },
      );
      await expect(cancelled).rejects.toMatchObject({ code: 'CANCELLED' });
      const next = await client.call('models.chat', { id: model.id, request: ask('hello') });
      expect(next.tokens.completion).toBeGreaterThan(0);
    });

    it('answers four chats at once on parallel sequences', async () => {
      const results = await Promise.all(
        [1, 2, 3, 4].map((seed) =>
          client.call('models.chat', { id: model.id, request: ask('data', { seed }) }),
        ),
      );
      for (const r of results) expect(r.tokens.completion).toBeGreaterThan(0);
      expect(new Set(results.map((r) => r.stopReason)).has('error')).toBe(false);
    });

    it('constrains the answer to a JSON schema', async () => {
      const schema = {
        type: 'object',
        properties: { answer: { enum: ['yes', 'no'] }, count: { type: 'integer' } },
        required: ['answer', 'count'],
      };
      const result = await client.call('models.chat', {
        id: model.id,
        request: ask('answer', { jsonSchema: schema, maxTokens: 200 }),
      });
      const parsed = JSON.parse(result.text) as { answer: string; count: number };
      expect(['yes', 'no']).toContain(parsed.answer);
      expect(Number.isInteger(parsed.count)).toBe(true);
    });

    it('refuses images with a clear error', async () => {
      await expect(
        client.call('models.chat', {
          id: model.id,
          request: { messages: [{ role: 'user', content: [{ type: 'image', image: '/x.png' }] }] },
        }),
      ).rejects.toThrow(/text model and cannot read images/);
    });

    it('unloads: the host process exits and the id is gone', async () => {
      const pid = model.pid!;
      expect(await client.call('models.unload', { id: model.id })).toEqual({ unloaded: true });
      expect(alive(pid)).toBe(false);
      expect(states.at(-1)).toMatchObject({ id: model.id, state: 'unloaded' });
      await expect(client.call('models.chat', { id: model.id, request: ask('x') })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });
  });

  describe('vision model through @fugood/llama.node', () => {
    let model: LoadedModel;
    const png = makePng(28, 28, 2);
    const dataUrl = `data:image/png;base64,${png.toString('base64')}`;
    const imagePath = join(dir.path, 'figure.png');

    beforeAll(async () => {
      writeFileSync(imagePath, png);
      model = await client.call('models.load', { model: set.vision, options: { ...OPTIONS, parallel: 4 } });
    });

    it('loads with its paired projector as a vision model', () => {
      expect(model).toMatchObject({ engine: 'llama.node', vision: true, state: 'ready' });
      expect(alive(model.pid!)).toBe(true);
    });

    it('answers about an image given as a data URL or a path (4 image tokens join the prompt)', async () => {
      const withImage = (image: string) =>
        client.call('models.chat', {
          id: model.id,
          request: {
            messages: [
              {
                role: 'user',
                content: [
                  { type: 'image', image },
                  { type: 'text', text: 'what' },
                ],
              },
            ],
            maxTokens: 12,
            seed: 1,
          },
        });
      const textOnly = await client.call('models.chat', {
        id: model.id,
        request: ask('what', { maxTokens: 12 }),
      });
      const chunks: string[] = [];
      const fromUrl = await client.call(
        'models.chat',
        {
          id: model.id,
          request: {
            messages: [
              {
                role: 'user',
                content: [
                  { type: 'image', image: dataUrl },
                  { type: 'text', text: 'what' },
                ],
              },
            ],
            maxTokens: 12,
            seed: 1,
          },
        },
        { onChunk: (c) => chunks.push(c.text) },
      );
      expect(fromUrl.tokens.completion).toBeGreaterThan(0);
      expect(fromUrl.tokens.prompt).toBeGreaterThanOrEqual(textOnly.tokens.prompt + 4);
      expect(chunks.join('')).toBe(fromUrl.text);
      const fromPath = await withImage(imagePath);
      expect(fromPath.tokens.prompt).toBe(fromUrl.tokens.prompt);
    });

    it('stops one generation when aborted and answers the next', async () => {
      const controller = new AbortController();
      let tokens = 0;
      const request = chatRequestSchema.parse(ask('the plot shows', { maxTokens: 3000 }));
      const result = await engine.models.get(model.id).chat(request, {
        signal: controller.signal,
        onToken: () => {
          if (++tokens === 2) controller.abort();
        },
      });
      expect(result.stopReason).toBe('aborted');
      const next = await client.call('models.chat', { id: model.id, request: ask('hello') });
      expect(next.tokens.completion).toBeGreaterThan(0);
    });

    it('answers four chats at once on parallel slots, with images', async () => {
      const results = await Promise.all(
        [1, 2, 3, 4].map((seed) =>
          client.call('models.chat', {
            id: model.id,
            request: {
              messages: [
                {
                  role: 'user',
                  content: [
                    { type: 'image', image: dataUrl },
                    { type: 'text', text: 'x' },
                  ],
                },
              ],
              maxTokens: 16,
              seed,
            },
          }),
        ),
      );
      for (const r of results) expect(r.tokens.completion).toBeGreaterThan(0);
    });

    it('unloads and its process exits', async () => {
      const pid = model.pid!;
      await client.call('models.unload', { id: model.id });
      expect(alive(pid)).toBe(false);
    });
  });

  describe('crashes stay in the host', () => {
    it('a malformed GGUF aborts its host natively; the engine reports it and answers the next call', async () => {
      const failure = client.call('models.load', { model: 'broken-ffn', options: OPTIONS });
      await expect(failure).rejects.toThrow(
        /model host for .*broken-ffn\.gguf exited with signal SIGABRT while loading/,
      );
      expect((await client.call('system.health', {})).ok).toBe(true);
      const model = await client.call('models.load', { model: 'tiny', options: OPTIONS });
      const answer = await client.call('models.chat', { id: model.id, request: ask('hello') });
      expect(answer.tokens.completion).toBeGreaterThan(0);
      await client.call('models.unload', { id: model.id });
    });

    it('a truncated GGUF is refused before any host starts', async () => {
      await expect(client.call('models.load', { model: 'cut', options: OPTIONS })).rejects.toMatchObject({
        code: 'INVALID_PARAMS',
        message: expect.stringMatching(/incomplete/),
      });
    });

    it('a host killed while ready fails its model with the signal; other models keep working', async () => {
      const victim = await client.call('models.load', { model: 'tiny', options: OPTIONS });
      const survivor = await client.call('models.load', { model: set.vision, options: OPTIONS });
      process.kill(victim.pid!, 'SIGKILL');
      await expect(client.call('models.chat', { id: victim.id, request: ask('x') })).rejects.toThrow(
        /exited with signal SIGKILL/,
      );
      const loaded = await client.call('models.loaded', {});
      expect(loaded.find((m) => m.id === victim.id)).toMatchObject({ state: 'failed' });
      const answer = await client.call('models.chat', { id: survivor.id, request: ask('hello') });
      expect(answer.tokens.completion).toBeGreaterThan(0);
      await client.call('models.unload', { id: victim.id });
      await client.call('models.unload', { id: survivor.id });
    });
  });

  it('writes the test model set in milliseconds and every file starts with the GGUF magic', () => {
    const started = performance.now();
    const written = writeTestModels(join(dir.path, 'fresh'));
    expect(performance.now() - started).toBeLessThan(500);
    for (const path of Object.values(written))
      expect(readFileSync(path).subarray(0, 4).toString()).toBe('GGUF');
  });
});

import { describe, expect, it } from 'vitest';
import { endpointInputSchema } from '../../main/api/endpoints';
import type { EndpointView } from '../../main/api/endpoints';
import { chatRequestSchema, loadOptionsSchema } from '../../main/api/models';
import type { LoadedModel, ModelFile } from '../../main/api/models';
import {
  chatTargets,
  defaultChatForm,
  liveTokensPerSecond,
  readChatForm,
} from '../../renderer/src/models/chatForm';
import {
  emptyEndpointForm,
  endpointFormFrom,
  readEndpointForm,
} from '../../renderer/src/models/endpointForm';
import { isLoadedName, loadedModelsReducer, readyModels } from '../../renderer/src/models/loadedModels';
import { defaultLoadForm, readLoadForm } from '../../renderer/src/models/loadForm';
import {
  baseName,
  describeFitMemory,
  describeGpuLayers,
  describeLoadedGpu,
  formatBytes,
  formatContextLength,
  formatParameterCount,
  formatTokensPerSecond,
  isLoadable,
  modelKind,
} from '../../renderer/src/models/modelFormat';

function loaded(patch: Partial<LoadedModel> = {}): LoadedModel {
  return {
    id: 'a1',
    name: '/models/tiny-text.gguf',
    engine: 'node-llama-cpp',
    state: 'loading',
    progress: 0,
    vision: false,
    gpu: null,
    memory: null,
    pid: 4242,
    error: null,
    ...patch,
  };
}

function file(patch: Partial<ModelFile> = {}): ModelFile {
  return {
    name: '/models/tiny-text.gguf',
    path: '/models/tiny-text.gguf',
    format: 'gguf',
    sizeBytes: 494_720,
    registered: false,
    architecture: 'llama',
    parameterCount: 121_408,
    quantization: 'F32',
    contextLength: 4096,
    hasChatTemplate: true,
    mmprojPath: null,
    vision: false,
    isProjector: false,
    error: null,
    ...patch,
  };
}

const endpoint: EndpointView = {
  name: 'lab-vllm',
  baseUrl: 'http://gpu:8000/v1',
  model: 'qwen-vl',
  hasApiKey: true,
  maxConcurrency: 8,
  timeoutMs: 90_000,
  retries: 2,
};

describe('model formatting', () => {
  it('prints sizes in binary units as the CLI does', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(494_720)).toBe('483 KiB');
    expect(formatBytes(7_340_032)).toBe('7.0 MiB');
    expect(formatBytes(4_081_000_000)).toBe('3.8 GiB');
    expect(formatBytes(1024 * 1024 - 100)).toBe('1.0 MiB');
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(-1)).toBe('—');
  });

  it('prints parameter counts with three significant digits', () => {
    expect(formatParameterCount(121_408)).toBe('121K');
    expect(formatParameterCount(40_600)).toBe('40.6K');
    expect(formatParameterCount(1_500_000)).toBe('1.5M');
    expect(formatParameterCount(7_241_732_096)).toBe('7.24B');
    expect(formatParameterCount(70_553_706_496)).toBe('70.6B');
    expect(formatParameterCount(999)).toBe('999');
    expect(formatParameterCount(null)).toBe('—');
  });

  it('prints context lengths in K when they are whole kibi-tokens', () => {
    expect(formatContextLength(4096)).toBe('4K');
    expect(formatContextLength(131_072)).toBe('128K');
    expect(formatContextLength(3000)).toBe('3,000');
    expect(formatContextLength(null)).toBe('—');
  });

  it('prints speeds and GPU placement', () => {
    expect(formatTokensPerSecond(123.4)).toBe('123 tok/s');
    expect(formatTokensPerSecond(12.34)).toBe('12.3 tok/s');
    expect(formatTokensPerSecond(2.1)).toBe('2.10 tok/s');
    expect(formatTokensPerSecond(null)).toBe('—');
    expect(describeGpuLayers(0, 4)).toBe('CPU only');
    expect(describeGpuLayers(33, 33)).toBe('all 33 layers on the GPU');
    expect(describeGpuLayers(20, 33)).toBe('20 of 33 layers on the GPU');
    expect(describeGpuLayers(20, null)).toBe('20 layers on the GPU');
    expect(describeLoadedGpu(null)).toBe('—');
    expect(describeLoadedGpu({ backend: 'cpu', offloadedLayers: 0 })).toBe('cpu');
    expect(describeLoadedGpu({ backend: 'cuda', offloadedLayers: 33 })).toBe('cuda · 33 layers');
  });

  it('leaves VRAM out of a CPU-only fit', () => {
    const fit = {
      fits: true,
      gpuLayers: 0,
      totalLayers: 2,
      vramBytes: 0,
      ramBytes: 7_864_320,
      contextSize: 4096,
      note: '',
    };
    expect(describeFitMemory(fit)).toBe('RAM 7.5 MiB');
    expect(describeFitMemory({ ...fit, vramBytes: 3 * 1024 ** 3 })).toBe('VRAM 3.0 GiB · RAM 7.5 MiB');
  });

  it('tells loadable language models from projectors, ONNX files and unreadable files', () => {
    expect(modelKind(file())).toBe('text');
    expect(modelKind(file({ vision: true, mmprojPath: '/m/mmproj.gguf' }))).toBe('vision');
    expect(modelKind(file({ isProjector: true }))).toBe('projector');
    expect(modelKind(file({ format: 'onnx' }))).toBe('onnx');
    expect(isLoadable(file())).toBe(true);
    expect(isLoadable(file({ isProjector: true }))).toBe(false);
    expect(isLoadable(file({ format: 'onnx' }))).toBe(false);
    expect(isLoadable(file({ error: 'not a GGUF file' }))).toBe(false);
    expect(baseName('/a/b/tiny.gguf')).toBe('tiny.gguf');
    expect(baseName('C:\\m\\x.gguf')).toBe('x.gguf');
  });
});

describe('loadedModelsReducer', () => {
  it('adds a loading model, moves its progress forward only, and marks it ready', () => {
    let state = loadedModelsReducer([], { type: 'state', model: loaded() });
    state = loadedModelsReducer(state, { type: 'state', model: loaded({ progress: 0.6 }) });
    state = loadedModelsReducer(state, { type: 'state', model: loaded({ progress: 0.4 }) });
    expect(state).toHaveLength(1);
    expect(state[0]!.progress).toBe(0.6);
    state = loadedModelsReducer(state, {
      type: 'state',
      model: loaded({ state: 'ready', progress: 1, gpu: { backend: 'cpu', offloadedLayers: 0 } }),
    });
    expect(state[0]).toMatchObject({ state: 'ready', progress: 1 });
    expect(readyModels(state).map((m) => m.id)).toEqual(['a1']);
    expect(isLoadedName(state, '/models/tiny-text.gguf')).toBe(true);
  });

  it('removes an unloaded model and keeps a host that died, with its error, until dismissed', () => {
    const ready = loaded({ state: 'ready', progress: 1 });
    const other = loaded({ id: 'b2', name: '/models/other.gguf', state: 'ready', progress: 1 });
    let state = loadedModelsReducer([ready, other], {
      type: 'state',
      model: { ...other, state: 'failed', error: 'host exited with signal SIGABRT' },
    });
    expect(state[1]).toMatchObject({ state: 'failed', error: 'host exited with signal SIGABRT' });
    expect(readyModels(state)).toHaveLength(1);
    state = loadedModelsReducer(state, { type: 'state', model: { ...ready, state: 'unloaded' } });
    expect(state.map((m) => m.id)).toEqual(['b2']);
    // The engine forgot a failed load; a fresh list keeps it on screen, in its place, until dismissed.
    state = loadedModelsReducer(state, { type: 'listed', models: [] });
    expect(state.map((m) => m.id)).toEqual(['b2']);
    state = loadedModelsReducer(state, { type: 'dismiss', id: 'b2' });
    expect(state).toEqual([]);
  });

  it('takes the listed figures, keeps the order models were first seen, and ignores unknown unloads', () => {
    const a = loaded({ id: 'a', state: 'ready' });
    const b = loaded({ id: 'b', state: 'ready' });
    const state = loadedModelsReducer([a, b], {
      type: 'listed',
      models: [
        loaded({ id: 'c', state: 'loading' }),
        { ...b, memory: { rssBytes: 5, vramBytes: null } },
        { ...a, memory: { rssBytes: 7, vramBytes: 9 } },
      ],
    });
    expect(state.map((m) => m.id)).toEqual(['a', 'b', 'c']);
    expect(state[0]!.memory).toEqual({ rssBytes: 7, vramBytes: 9 });
    expect(
      loadedModelsReducer(state, { type: 'state', model: loaded({ id: 'zz', state: 'unloaded' }) }),
    ).toBe(state);
  });
});

describe('readLoadForm', () => {
  it('turns the defaults into the engine defaults', () => {
    const reading = readLoadForm(defaultLoadForm('tiny'));
    expect(reading.problem).toBeNull();
    expect(reading.params).toEqual({
      model: 'tiny',
      options: { gpu: 'auto', gpuLayers: 'auto', contextSize: 4096, parallel: 1 },
    });
    expect(loadOptionsSchema.parse(reading.params!.options)).toEqual(loadOptionsSchema.parse({}));
  });

  it('reads GPU layers as auto or a number, threads as optional', () => {
    const values = {
      ...defaultLoadForm('m'),
      gpu: 'cuda' as const,
      gpuLayers: ' 20 ',
      threads: '8',
      parallel: '4',
    };
    expect(readLoadForm(values).params!.options).toEqual({
      gpu: 'cuda',
      gpuLayers: 20,
      contextSize: 4096,
      threads: 8,
      parallel: 4,
    });
    expect(readLoadForm({ ...values, gpuLayers: '' }).params!.options!.gpuLayers).toBe('auto');
    expect(readLoadForm({ ...values, gpuLayers: 'AUTO' }).params!.options!.gpuLayers).toBe('auto');
    expect(readLoadForm({ ...values, gpuLayers: '0' }).params!.options!.gpuLayers).toBe(0);
  });

  it('names the first field that the engine would reject', () => {
    const base = defaultLoadForm('m');
    expect(readLoadForm(defaultLoadForm()).problem).toBe('Choose a model to load.');
    expect(readLoadForm({ ...base, gpuLayers: 'many' }).problem).toMatch(/GPU layers/);
    expect(readLoadForm({ ...base, gpuLayers: '-1' }).problem).toMatch(/GPU layers/);
    expect(readLoadForm({ ...base, contextSize: '64' }).problem).toBe(
      'Context size must be a whole number from 128 to 1 048 576.',
    );
    expect(readLoadForm({ ...base, contextSize: '4096.5' }).problem).toMatch(/Context size/);
    expect(readLoadForm({ ...base, threads: '0' }).problem).toMatch(/Threads/);
    expect(readLoadForm({ ...base, parallel: '65' }).problem).toMatch(/Parallel/);
  });

  it('accepts exactly what loadOptionsSchema accepts at the limits', () => {
    for (const [contextSize, parallel, threads] of [
      ['128', '1', '1'],
      ['1048576', '64', '512'],
    ] as const) {
      const reading = readLoadForm({ ...defaultLoadForm('m'), contextSize, parallel, threads });
      expect(loadOptionsSchema.safeParse(reading.params!.options).success).toBe(true);
    }
  });
});

describe('readChatForm', () => {
  const text = loaded({ state: 'ready', progress: 1 });
  const vision = loaded({
    id: 'v1',
    name: '/m/tiny-vision.gguf',
    engine: 'llama.node',
    vision: true,
    state: 'ready',
  });
  const targets = chatTargets([text, vision], [endpoint]);

  it('offers ready local models and endpoints under the ids models.chat takes', () => {
    expect(targets.map((t) => [t.id, t.label, t.acceptsImages])).toEqual([
      ['a1', 'tiny-text.gguf · node-llama-cpp', false],
      ['v1', 'tiny-vision.gguf · llama.node · vision', true],
      ['openai:lab-vllm', 'lab-vllm · qwen-vl (endpoint)', true],
    ]);
  });

  it('builds one user turn with the sampling settings', () => {
    const reading = readChatForm(
      { ...defaultChatForm, target: 'a1', prompt: 'Hi', maxTokens: '64', seed: '7', temperature: '0.7' },
      targets,
    );
    expect(reading.params).toEqual({
      id: 'a1',
      request: { messages: [{ role: 'user', content: 'Hi' }], maxTokens: 64, temperature: 0.7, seed: 7 },
    });
    expect(chatRequestSchema.safeParse(reading.params!.request).success).toBe(true);
    const noSeed = readChatForm({ ...defaultChatForm, target: 'a1', prompt: 'Hi' }, targets);
    expect(noSeed.params!.request).not.toHaveProperty('seed');
  });

  it('puts the image before the text, and refuses it for a text model', () => {
    const image = 'data:image/png;base64,iVBORw0KGgo=';
    const values = { ...defaultChatForm, prompt: 'What is plotted?', image, imageName: 'fig.png' };
    expect(readChatForm({ ...values, target: 'v1' }, targets).params!.request.messages[0]!.content).toEqual([
      { type: 'image', image },
      { type: 'text', text: 'What is plotted?' },
    ]);
    expect(readChatForm({ ...values, target: 'openai:lab-vllm' }, targets).problem).toBeNull();
    expect(readChatForm({ ...values, target: 'a1' }, targets).problem).toMatch(/is a text model/);
  });

  it('names what keeps Run from working', () => {
    const ok = { ...defaultChatForm, target: 'a1', prompt: 'Hi' };
    expect(readChatForm(ok, []).problem).toMatch(/Load a model or add an endpoint/);
    expect(readChatForm({ ...ok, target: 'gone' }, targets).problem).toMatch(/Load a model/);
    expect(readChatForm({ ...ok, prompt: '   ' }, targets).problem).toBe('Write a prompt.');
    expect(readChatForm({ ...ok, maxTokens: '0' }, targets).problem).toMatch(/Max tokens/);
    expect(readChatForm({ ...ok, temperature: '9' }, targets).problem).toMatch(/Temperature/);
    expect(readChatForm({ ...ok, temperature: '' }, targets).problem).toMatch(/Temperature/);
    expect(readChatForm({ ...ok, seed: '1.5' }, targets).problem).toMatch(/Seed/);
  });

  it('measures live speed from the first chunk on', () => {
    expect(liveTokensPerSecond(0, null, 1000)).toBeNull();
    expect(liveTokensPerSecond(1, 500, 1000)).toBeNull();
    expect(liveTokensPerSecond(11, 1000, 2000)).toBe(10);
  });
});

describe('readEndpointForm', () => {
  it('reads a new endpoint into what endpoints.save accepts', () => {
    const reading = readEndpointForm(
      { ...emptyEndpointForm, name: ' lab ', model: 'qwen', apiKey: ' sk-1 ', timeoutSeconds: '30' },
      [],
    );
    expect(reading.input).toEqual({
      name: 'lab',
      baseUrl: 'http://127.0.0.1:8000/v1',
      model: 'qwen',
      apiKey: 'sk-1',
      maxConcurrency: 4,
      timeoutMs: 30_000,
      retries: 3,
    });
    expect(endpointInputSchema.safeParse(reading.input).success).toBe(true);
  });

  it('keeps, replaces or removes the stored key without ever holding it', () => {
    const form = endpointFormFrom(endpoint);
    expect(form).toMatchObject({ name: 'lab-vllm', apiKey: '', timeoutSeconds: '90', maxConcurrency: '8' });
    expect(readEndpointForm(form, []).input).not.toHaveProperty('apiKey');
    expect(readEndpointForm({ ...form, apiKey: 'sk-new' }, []).input!.apiKey).toBe('sk-new');
    expect(readEndpointForm({ ...form, removeApiKey: true }, []).input!.apiKey).toBeNull();
    expect(
      endpointInputSchema.safeParse(readEndpointForm({ ...form, removeApiKey: true }, []).input).success,
    ).toBe(true);
  });

  it('names the first problem', () => {
    const ok = { ...emptyEndpointForm, name: 'lab', model: 'qwen' };
    expect(readEndpointForm({ ...ok, name: '' }, []).problem).toBe('Give the endpoint a name.');
    expect(readEndpointForm({ ...ok, name: 'x'.repeat(101) }, []).problem).toMatch(/at most 100/);
    expect(readEndpointForm(ok, ['lab']).problem).toBe('An endpoint named lab already exists.');
    expect(readEndpointForm({ ...ok, baseUrl: 'gpu:8000' }, []).problem).toMatch(/http\(s\) URL/);
    expect(readEndpointForm({ ...ok, baseUrl: 'ftp://gpu/v1' }, []).problem).toMatch(/http\(s\) URL/);
    expect(readEndpointForm({ ...ok, model: ' ' }, []).problem).toMatch(/Name the model/);
    expect(readEndpointForm({ ...ok, maxConcurrency: '0' }, []).problem).toMatch(/Max concurrency/);
    expect(readEndpointForm({ ...ok, timeoutSeconds: '3601' }, []).problem).toBe(
      'Timeout must be a whole number from 1 to 3 600 seconds.',
    );
    expect(readEndpointForm({ ...ok, retries: '11' }, []).problem).toMatch(/Retries/);
  });

  it('accepts exactly what endpointInputSchema accepts at the limits', () => {
    for (const [maxConcurrency, timeoutSeconds, retries] of [
      ['1', '1', '0'],
      ['256', '3600', '10'],
    ] as const) {
      const reading = readEndpointForm(
        { ...emptyEndpointForm, name: 'n', model: 'm', maxConcurrency, timeoutSeconds, retries },
        [],
      );
      expect(endpointInputSchema.safeParse(reading.input).success).toBe(true);
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { EndpointView } from '../../main/api/endpoints';
import type { ModelFile } from '../../main/api/models';
import { studyConfigSchema } from '../../main/api/scaling';
import { captionerOptions, solverOptions } from '../../renderer/src/scaling/modelOptions';
import { parseParameterCount } from '../../main/api/parameterCount';
import {
  defaultStudyFormValues,
  readStudyForm,
  setPickedParameters,
  suggestedStudyName,
  togglePicked,
} from '../../renderer/src/scaling/studyForm';
import type { StudyFormValues } from '../../renderer/src/scaling/studyForm';

const file = (patch: Partial<ModelFile>): ModelFile => ({
  name: '/models/x.gguf',
  path: '/models/x.gguf',
  format: 'gguf',
  sizeBytes: 1000,
  registered: false,
  architecture: 'qwen2',
  parameterCount: null,
  quantization: 'Q4_K_M',
  contextLength: 4096,
  hasChatTemplate: true,
  mmprojPath: null,
  vision: false,
  isProjector: false,
  error: null,
  ...patch,
});

const endpoint = (name: string, model = 'served-model'): EndpointView => ({
  name,
  baseUrl: 'http://127.0.0.1:9/v1',
  model,
  maxConcurrency: 4,
  timeoutMs: 120_000,
  retries: 3,
  hasApiKey: false,
});

const files: ModelFile[] = [
  file({
    name: 'qwen-vl',
    registered: true,
    path: '/m/qwen-vl.gguf',
    vision: true,
    mmprojPath: '/m/mmproj.gguf',
    parameterCount: 2_000_000_000,
  }),
  file({ name: '/m/mmproj.gguf', path: '/m/mmproj.gguf', isProjector: true }),
  file({ name: '/m/llama-8b.gguf', path: '/m/llama-8b.gguf', parameterCount: 8_030_000_000 }),
  file({ name: '/m/broken.gguf', path: '/m/broken.gguf', error: 'bad magic' }),
  file({ name: '/m/clip.onnx', path: '/m/clip.onnx', format: 'onnx' }),
  file({ name: '/other/llama-8b.gguf', path: '/other/llama-8b.gguf', parameterCount: null }),
];
const endpoints = [endpoint('remote-vl'), endpoint('remote-text')];

describe('parseParameterCount', () => {
  it('reads counts as model cards write them', () => {
    expect(parseParameterCount('7B')).toBe(7e9);
    expect(parseParameterCount(' 1.5b ')).toBe(1.5e9);
    expect(parseParameterCount('494M')).toBe(494e6);
    expect(parseParameterCount('1.2T')).toBe(1.2e12);
    expect(parseParameterCount('7e9')).toBe(7e9);
    expect(parseParameterCount('7,000,000,000')).toBe(7e9);
    expect(parseParameterCount('350k')).toBe(350_000);
  });

  it('refuses what is not a positive count', () => {
    for (const text of ['', 'seven', '-7B', '0', '7X', 'B', '1.2.3B', '0.5'])
      expect(parseParameterCount(text)).toBeNull();
  });
});

describe('model options', () => {
  it('offers vision files with their projector and every endpoint as captioners', () => {
    const options = captionerOptions(files, endpoints);
    expect(options.map((o) => o.key)).toEqual([
      'local:qwen-vl',
      'endpoint:remote-vl',
      'endpoint:remote-text',
    ]);
    expect(options[0]).toMatchObject({
      label: 'qwen-vl',
      parameters: 2e9,
      spec: { kind: 'local', model: 'qwen-vl', mmproj: '/m/mmproj.gguf' },
    });
    expect(options[1]).toMatchObject({
      spec: { kind: 'endpoint', endpoint: 'remote-vl' },
      parameters: null,
      detail: 'endpoint · served-model',
    });
  });

  it('offers loadable GGUF files (no projectors, no unreadable files) as solvers, labels made unique', () => {
    const options = solverOptions(files, []);
    expect(options.map((o) => o.key)).toEqual([
      'local:qwen-vl',
      'local:/m/llama-8b.gguf',
      'local:/other/llama-8b.gguf',
    ]);
    // Two files with the same stem would chart as one model.
    expect(options.map((o) => o.label)).toEqual(['qwen-vl', 'llama-8b', 'llama-8b (2)']);
    // A solver reads text: the projector is not loaded.
    expect(options[0]!.spec).toEqual({ kind: 'local', model: 'qwen-vl' });
  });
});

describe('readStudyForm', () => {
  const choices = {
    captioners: captionerOptions(files, endpoints),
    solvers: solverOptions(files, endpoints),
  };
  const values = (patch: Partial<StudyFormValues>): StudyFormValues => ({
    ...defaultStudyFormValues,
    datasetId: '4',
    ...patch,
  });

  it('says what is missing next to each field', () => {
    const { config, problems } = readStudyForm(
      { ...defaultStudyFormValues, maxTokens: '0', concurrency: 'x', limit: '-1' },
      choices,
      null,
    );
    expect(config).toBeNull();
    expect(Object.keys(problems).sort()).toEqual([
      'captioners',
      'concurrency',
      'dataset',
      'limit',
      'maxTokens',
      'solvers',
    ]);
    expect(problems.maxTokens).toBe('Max tokens: a whole number from 1 to 1000000.');
  });

  it('accepts a captioner-only study when the direct baseline runs', () => {
    const { config, problems } = readStudyForm(
      values({ captioners: [{ key: 'local:qwen-vl', parametersText: '' }], direct: true }),
      choices,
      'vqa-mini',
    );
    expect(problems).toEqual({});
    expect(config!.solvers).toEqual([]);
    expect(config!.settings).toMatchObject({ direct: true });
  });

  it('builds a config the contract accepts: GGUF sizes kept, typed sizes for endpoints, blank sizes left out', () => {
    let captioners = togglePicked([], 'local:qwen-vl', true);
    captioners = togglePicked(captioners, 'endpoint:remote-vl', true);
    captioners = setPickedParameters(captioners, 'endpoint:remote-vl', '72B');
    // A size typed for a GGUF that gives one is ignored: the file is the truth.
    captioners = setPickedParameters(captioners, 'local:qwen-vl', '99B');
    const solvers = [
      { key: 'endpoint:remote-text', parametersText: '' },
      { key: 'local:/m/llama-8b.gguf', parametersText: '' },
    ];
    const { config, problems } = readStudyForm(
      values({ captioners, solvers, variant: 'code', limit: '5', concurrency: '3' }),
      choices,
      'vqa-mini',
    );
    expect(problems).toEqual({});
    expect(config!.name).toBe('2 captioners × 2 solvers on vqa-mini');
    expect(config!.captioners).toEqual([
      {
        label: 'qwen-vl',
        spec: { kind: 'local', model: 'qwen-vl', mmproj: '/m/mmproj.gguf' },
        parameters: 2e9,
      },
      { label: 'remote-vl', spec: { kind: 'endpoint', endpoint: 'remote-vl' }, parameters: 72e9 },
    ]);
    expect(config!.solvers).toEqual([
      { label: 'remote-text', spec: { kind: 'endpoint', endpoint: 'remote-text' } },
      { label: 'llama-8b', spec: { kind: 'local', model: '/m/llama-8b.gguf' }, parameters: 8.03e9 },
    ]);
    const parsed = studyConfigSchema.parse(config);
    expect(parsed.settings).toMatchObject({
      variant: 'code',
      limit: 5,
      concurrency: 3,
      maxTokens: 1024,
      direct: false,
    });
  });

  it('names the model whose typed size is not a count, and a ticked model that went away', () => {
    const { config, problems } = readStudyForm(
      values({
        captioners: [{ key: 'endpoint:remote-vl', parametersText: 'big' }],
        solvers: [{ key: 'endpoint:gone', parametersText: '' }],
      }),
      choices,
      null,
    );
    expect(config).toBeNull();
    expect(problems['captioners:endpoint:remote-vl']).toBe(
      'Parameters of remote-vl: a count such as 7B, 1.5B, 494M or 7e9.',
    );
    expect(problems['solvers:endpoint:gone']).toBe('gone is no longer available; untick it.');
  });

  it('keeps the ticking order and drops an unticked model', () => {
    const picked = togglePicked(togglePicked(togglePicked([], 'a', true), 'b', true), 'a', false);
    expect(picked).toEqual([{ key: 'b', parametersText: '' }]);
    expect(suggestedStudyName(1, 1, null)).toBe('1 captioner × 1 solver');
  });
});

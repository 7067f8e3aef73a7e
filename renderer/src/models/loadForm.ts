import type { Params } from '../../../main/api/contract';
import type { GpuBackend } from '../../../main/api/models';
import { formatLimit, readInteger } from './formFields';

/** The load options as typed (strings), so a half-typed number is not lost. */
export interface LoadFormValues {
  /** A model's listed name (registered name or path). */
  model: string;
  gpu: GpuBackend;
  /** "auto" (or empty) lets the binding fit what VRAM allows; a number fixes it, 0 keeps it on the CPU. */
  gpuLayers: string;
  contextSize: string;
  /** Empty: the engine uses the physical core count. */
  threads: string;
  parallel: string;
}

export const gpuBackends: readonly { value: GpuBackend; label: string }[] = [
  { value: 'auto', label: 'Auto-detect' },
  { value: 'cuda', label: 'CUDA' },
  { value: 'vulkan', label: 'Vulkan' },
  { value: 'metal', label: 'Metal' },
  { value: 'cpu', label: 'CPU only' },
];

/** The bounds loadOptionsSchema enforces (a unit test keeps the two in step). */
export const loadFormLimits = {
  gpuLayers: { min: 0, max: 10_000 },
  contextSize: { min: 128, max: 1_048_576 },
  threads: { min: 1, max: 512 },
  parallel: { min: 1, max: 64 },
} as const;

/** loadOptionsSchema's defaults. */
export function defaultLoadForm(model = ''): LoadFormValues {
  return { model, gpu: 'auto', gpuLayers: 'auto', contextSize: '4096', threads: '', parallel: '1' };
}

export type LoadFormReading =
  { params: Params<'models.load'>; problem: null } | { params: null; problem: string };

function outOf(label: string, { min, max }: { min: number; max: number }): string {
  return `${label} must be a whole number from ${formatLimit(min)} to ${formatLimit(max)}.`;
}

/** The models.load parameters, or the first thing wrong with the form. */
export function readLoadForm(values: LoadFormValues): LoadFormReading {
  if (values.model === '') return { params: null, problem: 'Choose a model to load.' };
  const layersText = values.gpuLayers.trim().toLowerCase();
  const gpuLayers =
    layersText === '' || layersText === 'auto' ? 'auto' : readInteger(layersText, loadFormLimits.gpuLayers);
  if (gpuLayers === null)
    return {
      params: null,
      problem: 'GPU layers must be "auto" or a whole number (0 keeps the model on the CPU).',
    };
  const contextSize = readInteger(values.contextSize, loadFormLimits.contextSize);
  if (contextSize === null)
    return { params: null, problem: outOf('Context size', loadFormLimits.contextSize) };
  const threads =
    values.threads.trim() === '' ? undefined : readInteger(values.threads, loadFormLimits.threads);
  if (threads === null) return { params: null, problem: outOf('Threads', loadFormLimits.threads) };
  const parallel = readInteger(values.parallel, loadFormLimits.parallel);
  if (parallel === null)
    return { params: null, problem: outOf('Parallel sequences', loadFormLimits.parallel) };
  return {
    params: {
      model: values.model,
      options: {
        gpu: values.gpu,
        gpuLayers,
        contextSize,
        parallel,
        ...(threads === undefined ? {} : { threads }),
      },
    },
    problem: null,
  };
}

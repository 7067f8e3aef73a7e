import type { FitEstimate, LoadedModel, ModelFile } from '../../../main/api/models';

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** Binary units as the CLI prints them: 512 B, 484 KiB, 7.1 MiB, 3.8 GiB; null → an em dash. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} B`;
  // 1023.6 KiB would round to "1024 KiB"; move up a unit instead.
  if (Math.round(value) >= 1024 && unit < BYTE_UNITS.length - 1) return `1.0 ${BYTE_UNITS[unit + 1]}`;
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${BYTE_UNITS[unit]}`;
}

/** Parameter counts the way model cards write them: 121K, 1.5M, 7.24B; null → an em dash. */
export function formatParameterCount(count: number | null): string {
  if (count === null || !Number.isFinite(count) || count < 0) return '—';
  const scales: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [scale, suffix] of scales) {
    if (count >= scale) return `${Number((count / scale).toPrecision(3))}${suffix}`;
  }
  return String(Math.round(count));
}

/** Context lengths: 4096 → 4K, 131072 → 128K; other sizes in full (3000 → 3,000). */
export function formatContextLength(tokens: number | null): string {
  if (tokens === null || !Number.isFinite(tokens) || tokens <= 0) return '—';
  if (tokens >= 1024 && tokens % 1024 === 0) return `${tokens / 1024}K`;
  return tokens.toLocaleString('en-US');
}

/** Generation speed: 123 tok/s, 12.3 tok/s, 1.23 tok/s; null (not measured) → an em dash. */
export function formatTokensPerSecond(perSecond: number | null): string {
  if (perSecond === null || !Number.isFinite(perSecond) || perSecond < 0) return '—';
  const digits = perSecond >= 100 ? 0 : perSecond >= 10 ? 1 : 2;
  return `${perSecond.toFixed(digits)} tok/s`;
}

/** Where the layers go: "CPU only", "all 32 layers on the GPU", "20 of 32 layers on the GPU". */
export function describeGpuLayers(gpuLayers: number, totalLayers: number | null): string {
  if (gpuLayers <= 0) return 'CPU only';
  if (totalLayers === null) return `${gpuLayers} layers on the GPU`;
  if (gpuLayers >= totalLayers) return `all ${totalLayers} layers on the GPU`;
  return `${gpuLayers} of ${totalLayers} layers on the GPU`;
}

/** The one-line memory need of a fit estimate: "VRAM 3.1 GiB · RAM 512 MiB" (VRAM left out on CPU). */
export function describeFitMemory(fit: FitEstimate): string {
  const ram = `RAM ${formatBytes(fit.ramBytes)}`;
  return fit.vramBytes > 0 ? `VRAM ${formatBytes(fit.vramBytes)} · ${ram}` : ram;
}

/** What kind of file a row is, for its tag: vision (a projector is paired), projector, ONNX or text. */
export function modelKind(file: ModelFile): 'vision' | 'projector' | 'onnx' | 'text' {
  if (file.format === 'onnx') return 'onnx';
  if (file.isProjector) return 'projector';
  return file.vision ? 'vision' : 'text';
}

/** Only whole GGUF language models load (and get a fit estimate); projectors and ONNX files do not. */
export function isLoadable(file: ModelFile): boolean {
  return file.format === 'gguf' && !file.isProjector && file.error === null;
}

/** The file name of a path, for compact cells (the full path goes in the title). */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** The loaded model's GPU line: "cuda · 33 layers", "cpu", or an em dash before it is known. */
export function describeLoadedGpu(gpu: LoadedModel['gpu']): string {
  if (!gpu) return '—';
  return gpu.offloadedLayers === null || gpu.offloadedLayers === 0
    ? gpu.backend
    : `${gpu.backend} · ${gpu.offloadedLayers} layers`;
}

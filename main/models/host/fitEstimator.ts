import type { FitEstimate, GpuBackend } from '../../api/models';
import { llamaOptionsFor } from './llamaCppRunner';

function mib(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MiB`;
}

/**
 * "Will it fit" from node-llama-cpp's GGUF insights: the configuration resolver scores the model against this
 * machine's free VRAM and RAM for the requested context size and says how many layers it would offload.
 * Runs inside a host process because it loads the native binding (and probes the GPU).
 */
export async function estimateFit(
  modelPath: string,
  gpu: GpuBackend,
  contextSize: number,
): Promise<FitEstimate> {
  const { getLlama, readGgufFileInfo, GgufInsights } = await import('node-llama-cpp');
  const llama = await getLlama(llamaOptionsFor(gpu));
  try {
    const info = await readGgufFileInfo(modelPath, { logWarnings: false });
    const insights = await GgufInsights.from(info, llama);
    const score = await insights.configurationResolver.resolveAndScoreConfig({
      targetContextSize: contextSize,
    });
    const v = score.resolvedValues;
    const fits = score.compatibilityScore > 0;
    const where =
      v.gpuLayers > 0
        ? `${v.gpuLayers}/${insights.totalLayers} layers on the GPU (${llama.gpu}), ${mib(v.totalVramUsage)} VRAM, ${mib(v.totalRamUsage)} RAM`
        : `on the CPU, ${mib(v.totalRamUsage)} RAM`;
    return {
      fits,
      gpuLayers: v.gpuLayers,
      totalLayers: insights.totalLayers,
      vramBytes: v.totalVramUsage,
      ramBytes: v.totalRamUsage,
      contextSize: v.contextSize,
      note: fits
        ? `Fits ${where} with a ${v.contextSize}-token context.`
        : `Does not fit this machine with a ${contextSize}-token context (it would need ${where}); try a smaller context or quantization.`,
    };
  } finally {
    await llama.dispose();
  }
}

import type { EndpointView } from '../../../main/api/endpoints';
import type { ModelSpec } from '../../../main/api/eval';
import type { ModelFile } from '../../../main/api/models';

/** A model the study form offers as a captioner or a solver. */
export interface ModelOption {
  /** Stable key for selection state: `local:<name>` or `endpoint:<name>`. */
  key: string;
  /** The label the study shows on charts and tables (unique within the list). */
  label: string;
  spec: ModelSpec;
  /** From the GGUF metadata (models.list); null for endpoints and files that do not say. */
  parameters: number | null;
  source: 'local' | 'endpoint';
  /** A short line under the name: quantisation and vision for files, the served model for endpoints. */
  detail: string;
}

const fileStem = (path: string) => (path.split(/[\\/]/).pop() ?? path).replace(/\.gguf$/i, '');

/** Loadable GGUF files: projectors are paired with a model, never used alone; unreadable files cannot load. */
const loadable = (f: ModelFile) => f.format === 'gguf' && !f.isProjector && f.error === null;

function localOption(f: ModelFile, withProjector: boolean): ModelOption {
  const label = f.registered ? f.name : fileStem(f.path);
  const spec: ModelSpec =
    withProjector && f.mmprojPath
      ? { kind: 'local', model: f.name, mmproj: f.mmprojPath }
      : { kind: 'local', model: f.name };
  const detail = [f.quantization, f.architecture, f.vision ? 'vision' : null].filter(Boolean).join(' · ');
  return { key: `local:${f.name}`, label, spec, parameters: f.parameterCount, source: 'local', detail };
}

function endpointOption(e: EndpointView): ModelOption {
  return {
    key: `endpoint:${e.name}`,
    label: e.name,
    spec: { kind: 'endpoint', endpoint: e.name },
    parameters: null,
    source: 'endpoint',
    detail: `endpoint · ${e.model}`,
  };
}

/** Two files with the same stem would chart as one model: later ones get their place in the list appended. */
function uniqueLabels(options: ModelOption[]): ModelOption[] {
  const seen = new Map<string, number>();
  return options.map((o) => {
    const count = seen.get(o.label) ?? 0;
    seen.set(o.label, count + 1);
    return count === 0 ? o : { ...o, label: `${o.label} (${count + 1})` };
  });
}

/**
 * Captioners see the image: GGUF files with a vision projector, and every configured endpoint (the engine
 * cannot tell whether a remote model takes images; a text-only one fails its calls, which the study records).
 */
export function captionerOptions(
  files: readonly ModelFile[],
  endpoints: readonly EndpointView[],
): ModelOption[] {
  return uniqueLabels([
    ...files
      .filter((f) => loadable(f) && (f.vision || f.mmprojPath !== null))
      .map((f) => localOption(f, true)),
    ...endpoints.map(endpointOption),
  ]);
}

/** Solvers read text only: every loadable GGUF (a vision model answers text too) and every endpoint. */
export function solverOptions(
  files: readonly ModelFile[],
  endpoints: readonly EndpointView[],
): ModelOption[] {
  return uniqueLabels([
    ...files.filter(loadable).map((f) => localOption(f, false)),
    ...endpoints.map(endpointOption),
  ]);
}

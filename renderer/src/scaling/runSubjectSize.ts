import type { EvalRunConfig } from '../../../main/api/eval';
import type { ModelFile } from '../../../main/api/models';

/** A run's model size for the size–score chart, or why it has none. */
export interface SubjectSize {
  parameters: number | null;
  /** Why there is no count (null when there is one). */
  missing: string | null;
}

const fileName = (path: string) => path.split(/[\\/]/).pop() ?? path;
const stem = (path: string) => fileName(path).replace(/\.gguf$/i, '');

/**
 * The parameter count of the model a run evaluated: a local model's from its GGUF (found as the engine
 * resolves it: registered name, path, file name or stem); endpoints and predictions files have none.
 */
export function subjectSize(subject: EvalRunConfig['subject'], files: readonly ModelFile[]): SubjectSize {
  if (subject.kind === 'endpoint')
    return { parameters: null, missing: `endpoint ${subject.endpoint}: size unknown` };
  if (subject.kind === 'predictions')
    return { parameters: null, missing: 'predictions file: no model to measure' };
  const ref = subject.model;
  const file =
    files.find((f) => f.name === ref || f.path === ref) ??
    files.find((f) => fileName(f.path) === ref || stem(f.path) === ref);
  if (!file) return { parameters: null, missing: `${ref}: not in the models folders` };
  if (file.parameterCount === null)
    return { parameters: null, missing: `${ref}: the GGUF does not give a count` };
  return { parameters: file.parameterCount, missing: null };
}

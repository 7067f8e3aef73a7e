import type { FieldMap, ImportFormat } from '../../../main/api/datasets';

type MappableField = keyof FieldMap;
// A Record so the compiler says so when the contract gains a field (types only: no zod in the UI bundle).
const mappable: Record<MappableField, true> = {
  uid: true,
  image: true,
  caption: true,
  code: true,
  question: true,
  answer: true,
  choices: true,
  category: true,
  source: true,
};
export const mappableFields = Object.keys(mappable) as MappableField[];

export interface ImportFormValues {
  path: string;
  format: ImportFormat;
  name: string;
  imagesRoot: string;
  /** Take image paths that resolve outside the file's folder and the images root. */
  allowOutsideRoot: boolean;
  /** `field=column` pairs, separated by commas or new lines. */
  fieldMap: string;
}

export interface ImportRequest {
  path: string;
  format: ImportFormat;
  name?: string;
  imagesRoot?: string;
  allowOutsideRoot?: boolean;
  map?: FieldMap;
}

export const importFormats: readonly { value: ImportFormat; label: string }[] = [
  { value: 'stem2code', label: 'STEM2Code-Eval JSONL' },
  { value: 'jsonl', label: 'JSONL (generic)' },
  { value: 'csv', label: 'CSV (generic)' },
  { value: 'parquet', label: 'Parquet' },
  { value: 'folder', label: 'Folder of .py files' },
  { value: 'vqa', label: 'VQA benchmark' },
];

export const defaultImportForm: ImportFormValues = {
  path: '',
  format: 'jsonl',
  name: '',
  imagesRoot: '',
  allowOutsideRoot: false,
  fieldMap: '',
};

/** Formats whose columns can be mapped onto our fields. */
export function acceptsFieldMap(format: ImportFormat): boolean {
  return format === 'jsonl' || format === 'csv' || format === 'parquet' || format === 'vqa';
}

/** `image=img_path, code=gt_code` → { image: 'img_path', code: 'gt_code' }, or what is wrong with it. */
export function parseFieldMap(text: string): { map: FieldMap } | { problem: string } {
  const map: FieldMap = {};
  for (const raw of text.split(/[,\n]/)) {
    const pair = raw.trim();
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const field = eq < 0 ? pair : pair.slice(0, eq).trim();
    const column = eq < 0 ? '' : pair.slice(eq + 1).trim();
    if (eq < 0 || field === '' || column === '') {
      return { problem: `"${pair}" is not field=column.` };
    }
    if (!Object.hasOwn(mappable, field)) {
      return { problem: `"${field}" is not a field; use one of ${mappableFields.join(', ')}.` };
    }
    if (Object.hasOwn(map, field)) return { problem: `"${field}" is mapped twice.` };
    map[field as MappableField] = column;
  }
  return { map };
}

/** The form as `datasets.import` params, or the first problem to show next to the Start button. */
export function readImportForm(values: ImportFormValues): { request: ImportRequest } | { problem: string } {
  const path = values.path.trim();
  if (path === '') return { problem: 'Enter the path of the file or folder to import.' };
  if (!importFormats.some((f) => f.value === values.format)) return { problem: 'Choose a format.' };
  const name = values.name.trim();
  if (name.length > 200) return { problem: 'The name is longer than 200 characters.' };
  const request: ImportRequest = { path, format: values.format };
  if (name !== '') request.name = name;
  const imagesRoot = values.imagesRoot.trim();
  if (imagesRoot !== '') request.imagesRoot = imagesRoot;
  if (values.allowOutsideRoot) request.allowOutsideRoot = true;
  if (acceptsFieldMap(values.format)) {
    const parsed = parseFieldMap(values.fieldMap);
    if ('problem' in parsed) return parsed;
    if (Object.keys(parsed.map).length > 0) request.map = parsed.map;
  }
  return { request };
}

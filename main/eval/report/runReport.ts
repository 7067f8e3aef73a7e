import type { EvalReport, ReportFormat } from '../../api/eval';
import type { EvalService } from '../run/evalService';
import { toCsv } from './toCsv';
import { toHtml } from './toHtml';
import { extrasKey, toJson } from './toJson';
import type { ReportInput } from './toJson';

export interface RunReportDeps {
  evals: EvalService;
  /** A stored image's thumbnail as a data URL (WebP, longest side ≤ 256 px), which keeps the HTML small. */
  thumbnail: (sha256: string) => Promise<{ dataUrl: string }>;
}

const MIME_TYPES: Record<ReportFormat, string> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

/** Thumbnails of every reference and render, fetched before the synchronous HTML render. */
async function thumbnails(deps: RunReportDeps, input: ReportInput): Promise<Map<string, Buffer>> {
  const wanted = new Set<string>();
  for (const r of input.items) {
    const reference = input.extras?.get(extrasKey(r))?.referenceImageSha256;
    if (reference) wanted.add(reference);
    if (r.official?.imageSha256) wanted.add(r.official.imageSha256);
  }
  const images = new Map<string, Buffer>();
  for (const sha256 of wanted) {
    try {
      const { dataUrl } = await deps.thumbnail(sha256);
      images.set(sha256, Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
    } catch {
      // A missing or unreadable image shows as "not available" in its cell; the report still stands.
    }
  }
  return images;
}

/** "codepercept-<name>-<id8>.<ext>", the name reduced to characters every file system accepts. */
export function reportFileName(info: { id: string; name: string }, format: ReportFormat): string {
  const name = info.name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80);
  return `codepercept-${name ? `${name}-` : ''}${info.id.slice(0, 8)}.${format}`;
}

/**
 * A run's report as a file (eval.report, the CLI's `report` and the UI's export all come here): the finished
 * answers, JSON with everything, CSV one row per answer (item × sample), or self-contained HTML with
 * thumbnails embedded.
 */
export async function buildRunReport(
  deps: RunReportDeps,
  runIdOrPrefix: string,
  format: ReportFormat,
): Promise<EvalReport> {
  const input = deps.evals.reportInput(runIdOrPrefix);
  let content: string;
  if (format === 'json') content = toJson(input);
  else if (format === 'csv') content = toCsv(input);
  else {
    const images = await thumbnails(deps, input);
    content = toHtml(input, { loadImage: (sha) => images.get(sha) ?? null });
  }
  return {
    content,
    mimeType: MIME_TYPES[format],
    fileName: reportFileName(input.info, format),
    run: {
      id: input.info.id,
      name: input.info.name,
      items: input.items.length,
      total: input.info.total ?? input.items.length,
    },
  };
}

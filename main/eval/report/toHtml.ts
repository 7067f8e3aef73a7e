import { DETERMINISTIC_METRIC_KEYS, failureClassSchema } from '../../api/eval';
import type { EvalItemResult } from '../../api/eval';
import { summarizeRun } from './summarize';
import type { Estimate, EstimatePair, GroupSummary, ReportOptions, RunSummaryReport } from './summarize';
import { extrasKey } from './toJson';
import type { ReportInput } from './toJson';

/**
 * A self-contained HTML report: inline CSS, images as data URLs, no scripts, no external requests (a CSP
 * meta tag forbids both, should anything slip through). Every string from a run (code, replies, uids,
 * categories, messages) is HTML-escaped.
 */

export interface HtmlReportOptions extends ReportOptions {
  /**
   * Bytes of a stored image by sha256 (thumbnails keep the file small), or null when it is missing. Only
   * PNG, JPEG, GIF and WebP are embedded, recognised by their magic bytes.
   */
  loadImage?: (sha256: string) => Buffer | null;
  /** Max characters of code shown per item (the JSON export has it all); default 20,000. */
  maxCodeChars?: number;
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** The image type from its first bytes; null for anything else (SVG included: never embedded). */
export function imageMime(bytes: Buffer): string | null {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])))
    return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(bytes.subarray(0, 6).toString('latin1'))) return 'image/gif';
  if (
    bytes.length >= 12 &&
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'image/webp';
  return null;
}

const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2330;background:#fff}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #d8dde6;padding-bottom:4px}
.meta{color:#5a6272;margin:0 0 12px}.notes li{color:#7a4b00}
table{border-collapse:collapse;margin:4px 0 12px}th,td{border:1px solid #d8dde6;padding:4px 8px;text-align:right;vertical-align:top}
th{background:#f3f5f8;font-weight:600}td.l,th.l{text-align:left}.ci{color:#6b7385;font-size:11px;display:block}
.muted{color:#9aa1ad}.fail{color:#a3261b;font-weight:600}.ok{color:#17703a;font-weight:600}
.items td{font-size:12px}.items img{max-width:220px;max-height:170px;border:1px solid #d8dde6;background:#fff}
.noimg{display:inline-block;width:120px;color:#9aa1ad;font-size:11px}
pre{white-space:pre-wrap;word-break:break-word;max-width:520px;max-height:360px;overflow:auto;background:#f6f8fa;padding:6px;margin:4px 0;text-align:left;font-size:11px}
details summary{cursor:pointer;color:#2a5bd7}.metrics{text-align:left;white-space:nowrap}
`;

const fixed = (value: number | null, digits: number) => (value === null ? null : value.toFixed(digits));

/** "71.3 [65.2, 77.0]" or a muted dash; digits 1 for 0–100 scores, 3 for 0–1 metrics. */
function estimateCell(e: Estimate | null, digits: number): string {
  if (!e || e.mean === null) return '<td class="muted">–</td>';
  const ci =
    e.low === null || e.high === null
      ? ''
      : `<span class="ci">[${fixed(e.low, digits)}, ${fixed(e.high, digits)}] n=${e.n}</span>`;
  return `<td>${fixed(e.mean, digits)}${ci}</td>`;
}

const pairCells = (p: EstimatePair | null, digits: number) =>
  estimateCell(p?.conditional ?? null, digits) + estimateCell(p?.strict ?? null, digits);

const groupName = (g: GroupSummary) => (g.overall ? 'Overall' : (g.category ?? '(no category)'));

function scoresTable(summary: RunSummaryReport): string {
  const groups = [summary.overall, ...summary.categories];
  const head =
    '<tr><th class="l" rowspan="2">Group</th><th rowspan="2">Items</th><th rowspan="2">Exec Rate</th><th rowspan="2">Any image written</th>' +
    '<th colspan="2">Image Score</th><th colspan="2">Code Score</th><th colspan="2">Final</th></tr>' +
    '<tr><th>published</th><th>strict</th><th>published</th><th>strict</th><th>published</th><th>strict</th></tr>';
  const rows = groups.map(
    (g) =>
      `<tr><th class="l">${escapeHtml(groupName(g))}</th><td>${g.items}</td>${estimateCell(g.execRate, 1)}${estimateCell(g.imageWrittenRate, 1)}` +
      `${pairCells(g.imageScore, 1)}${pairCells(g.codeScore, 1)}${pairCells(g.final, 1)}</tr>`,
  );
  return `<table>${head}${rows.join('')}</table>`;
}

function metricsTable(summary: RunSummaryReport): string {
  const groups = [summary.overall, ...summary.categories];
  const head =
    `<tr><th class="l" rowspan="2">Metric</th>${groups.map((g) => `<th colspan="2">${escapeHtml(groupName(g))}</th>`).join('')}</tr>` +
    `<tr>${groups.map(() => '<th>executed</th><th>strict</th>').join('')}</tr>`;
  const rows = DETERMINISTIC_METRIC_KEYS.map(
    (k) => `<tr><th class="l">${k}</th>${groups.map((g) => pairCells(g.metrics[k], 3)).join('')}</tr>`,
  );
  return `<table>${head}${rows.join('')}</table>`;
}

function failuresTable(summary: RunSummaryReport): string {
  const groups = [summary.overall, ...summary.categories];
  const head = `<tr><th class="l">Failure</th>${groups.map((g) => `<th>${escapeHtml(groupName(g))}</th>`).join('')}</tr>`;
  const rows = failureClassSchema.options.map(
    (f) =>
      `<tr><th class="l">${f}</th>${groups.map((g) => `<td${g.failures[f] ? '' : ' class="muted"'}>${g.failures[f]}</td>`).join('')}</tr>`,
  );
  const exceptions = Object.entries(summary.overall.exceptions);
  const byType =
    exceptions.length === 0
      ? ''
      : `<table><tr><th class="l">Runtime exception</th><th>Items</th></tr>${exceptions
          .map(([type, n]) => `<tr><td class="l">${escapeHtml(type)}</td><td>${n}</td></tr>`)
          .join('')}</table>`;
  return `<table>${head}${rows.join('')}</table>${byType}`;
}

/** Runs with several samples per item: the per-group pass@N of execution and the within-item spread. */
function samplesTable(summary: RunSummaryReport): string {
  const groups = [summary.overall, ...summary.categories];
  const spread = (value: number | null) =>
    value === null ? '<td class="muted">–</td>' : `<td>${value.toFixed(1)}</td>`;
  const rows = groups.map((g) =>
    g.samples
      ? `<tr><th class="l">${escapeHtml(groupName(g))}</th><td>${g.items}</td><td>${g.samples.answers}</td>` +
        `${estimateCell(g.samples.anyExecuted, 1)}${spread(g.samples.withinItemStd.execRate)}` +
        `${spread(g.samples.withinItemStd.imageScore)}${spread(g.samples.withinItemStd.codeScore)}` +
        `${spread(g.samples.withinItemStd.final)}</tr>`
      : '',
  );
  return (
    '<table><tr><th class="l" rowspan="2">Group</th><th rowspan="2">Items</th><th rowspan="2">Answers</th>' +
    '<th rowspan="2">Any sample executed</th><th colspan="4">Within-item std (strict)</th></tr>' +
    '<tr><th>Exec</th><th>Image</th><th>Code</th><th>Final</th></tr>' +
    `${rows.join('')}</table>`
  );
}

function judgesTable(summary: RunSummaryReport): string {
  const judges = [
    ['Image judge', summary.overall.imageScore],
    ['Code judge', summary.overall.codeScore],
  ] as const;
  const rows = judges.map(([label, s]) =>
    s
      ? `<tr><th class="l">${label}</th><td>${s.conditional.n}</td><td>${s.unscored}</td><td>${s.failedAttempts}</td><td>${s.unjudged}</td></tr>`
      : `<tr><th class="l">${label}</th><td class="muted" colspan="4">not in this run</td></tr>`,
  );
  return (
    '<table><tr><th class="l">Judge</th><th>Scored (executed)</th><th>Unscored after every attempt</th><th>Failed attempts</th><th>Not judged</th></tr>' +
    `${rows.join('')}</table>`
  );
}

function imageCell(sha: string | null | undefined, alt: string, options: HtmlReportOptions): string {
  if (!sha) return '<span class="noimg">no image</span>';
  const bytes = options.loadImage?.(sha) ?? null;
  const mime = bytes ? imageMime(bytes) : null;
  const short = escapeHtml(sha.slice(0, 12));
  if (!bytes) return `<span class="noimg">image ${short} not available</span>`;
  if (!mime) return `<span class="noimg">image ${short} is not a PNG, JPEG, GIF or WebP</span>`;
  return `<img alt="${escapeHtml(alt)}" src="data:${mime};base64,${bytes.toString('base64')}">`;
}

function score(value: number | null | undefined): string {
  return value === null || value === undefined ? '<span class="muted">–</span>' : value.toFixed(0);
}

function itemRow(
  r: EvalItemResult,
  input: ReportInput,
  options: HtmlReportOptions,
  withSamples: boolean,
): string {
  const extras = input.extras?.get(extrasKey(r));
  const executed = r.official?.executed === true;
  const status = executed
    ? '<span class="ok">executed</span>'
    : `<span class="fail">${escapeHtml(r.failure ?? (r.official ? 'failed' : 'not run'))}</span>`;
  const message = r.official?.failureMessage ?? r.generation?.error ?? null;
  const metrics = r.metrics
    ? DETERMINISTIC_METRIC_KEYS.filter((k) => r.metrics![k] !== null)
        .map((k) => `${k} ${r.metrics![k]!.toFixed(3)}`)
        .join('<br>')
    : '<span class="muted">–</span>';
  const maxCode = options.maxCodeChars ?? 20_000;
  const code =
    r.code === null
      ? '<span class="muted">no code</span>'
      : `<details><summary>code (${r.code.split('\n').length} lines)</summary><pre>${escapeHtml(
          r.code.length > maxCode
            ? `${r.code.slice(0, maxCode)}\n… (${r.code.length - maxCode} more characters in the JSON export)`
            : r.code,
        )}</pre></details>`;
  const reply = (label: string, text: string | undefined) =>
    text ? `<details><summary>${label} reply</summary><pre>${escapeHtml(text)}</pre></details>` : '';
  return (
    `<tr><td class="l">${escapeHtml(r.uid)}</td>${withSamples ? `<td>${r.sample ?? 0}</td>` : ''}<td class="l">${escapeHtml(r.category ?? '')}</td>` +
    `<td>${imageCell(extras?.referenceImageSha256, `reference ${r.uid}`, options)}</td>` +
    `<td>${imageCell(r.official?.imageSha256, `render ${r.uid}`, options)}</td>` +
    `<td class="l">${status}${message ? `<pre>${escapeHtml(message)}</pre>` : ''}</td>` +
    `<td>${score(r.imageJudgment?.score)}</td><td>${score(r.codeJudgment?.score)}</td>` +
    `<td class="metrics">${metrics}</td>` +
    `<td class="l">${code}${reply('image judge', r.imageJudgment?.reply)}${reply('code judge', r.codeJudgment?.reply)}</td></tr>`
  );
}

/** The report as one HTML document (UTF-8), readable offline and safe to open from any source. */
export function toHtml(input: ReportInput, options: HtmlReportOptions = {}): string {
  const summary = summarizeRun(input, options);
  const info = summary.run;
  const samples = summary.overall.samples;
  const meta = [
    info.subject && `subject: ${info.subject}`,
    info.benchmark && `benchmark: ${info.benchmark}`,
    `run ${info.id}`,
    samples
      ? `${summary.overall.items} items × N = ${info.samplesPerItem ?? samples.perItem} samples: ${info.items} answers${info.total !== undefined ? ` of ${info.total}` : ''}`
      : `${info.items} items${info.total !== undefined ? ` of ${info.total}` : ''}`,
    info.createdAt !== undefined && `created ${new Date(info.createdAt).toISOString()}`,
    `95% bootstrap CIs: ${summary.bootstrap.resamples} resamples, seed ${summary.bootstrap.seed}`,
  ].filter((m): m is string => typeof m === 'string');
  const notes =
    summary.notes.length === 0
      ? ''
      : `<ul class="notes">${summary.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`;
  const items = input.items.map((r) => itemRow(r, input, options, samples !== undefined)).join('\n');
  const samplesSection = samples
    ? `<h2>Samples per item (N = ${info.samplesPerItem ?? samples.perItem})</h2>
<p class="meta">Every score above is a mean over items of each item's mean over its samples; CIs resample items. Any sample executed = items with at least one executed answer (pass@N of execution); within-item std = mean over items of the standard deviation of its answers' strict values.</p>
${samplesTable(summary)}
`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(`${info.name} — STEM2Code-Eval report`)}</title>
<style>${CSS}</style></head><body>
<h1>${escapeHtml(info.name)}</h1>
<p class="meta">${meta.map(escapeHtml).join(' · ')}</p>
${notes}
<h2>Published scores</h2>
<p class="meta">Published = the public script's conditional means (executed and scored items only); strict = every failure, unscored or unjudged item counts 0. Exec Rate counts exit 0 with an image; "any image written" is the public script's count.</p>
${scoresTable(summary)}
${samplesSection}<h2>Deterministic metrics (0–1)</h2>
<p class="meta">executed = mean over executed items with a value; strict = every item, failures 0.</p>
${metricsTable(summary)}
<h2>Failure taxonomy</h2>
${failuresTable(summary)}
<h2>Judges</h2>
${judgesTable(summary)}
<h2>Items</h2>
<table class="items"><tr><th class="l">uid</th>${samples ? '<th>Sample</th>' : ''}<th class="l">Category</th><th>Reference</th><th>Render</th><th class="l">Execution</th><th>Image</th><th>Code</th><th class="l">Metrics</th><th class="l">Code and replies</th></tr>
${items}
</table>
</body></html>
`;
}

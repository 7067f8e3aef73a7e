import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseHtml } from 'parse5';
import { describe, expect, it } from 'vitest';
import { DETERMINISTIC_METRIC_KEYS } from '../../main/api/eval';
import { ITEM_COLUMNS } from '../../main/eval/report/itemRows';
import { csvField, toCsv } from '../../main/eval/report/toCsv';
import { escapeHtml, imageMime, toHtml } from '../../main/eval/report/toHtml';
import { reportJson, toJson } from '../../main/eval/report/toJson';
import type { ReportInput } from '../../main/eval/report/toJson';
import { item, judgment, sixItemRun } from './evalReportFixtures';

const HOSTILE = '<script>alert("x")</script>';
const HOSTILE_ATTR = '"><img src=x onerror=alert(1)>';

/** A 1×1 PNG and a 1-byte-short fake: only real images are embedded. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');

function hostileRun(): ReportInput {
  const items = [
    ...sixItemRun(),
    item({
      uid: `u6${HOSTILE}`,
      category: HOSTILE_ATTR,
      source: `title = "a, b"\nplt.title('${HOSTILE}')\r\nplt.text(0, 0, "</pre></details></td>${HOSTILE}")`,
      image: { ...judgment(10), reply: `Looks fine ${HOSTILE} Score: 10/100` },
      code: judgment(20),
      metric: 0.25,
    }),
  ];
  items[6]!.itemId = 6;
  return {
    info: { id: 'run-1', name: `Run ${HOSTILE}`, subject: HOSTILE_ATTR, judges: { image: true, code: true } },
    items,
    extras: new Map(items.map((r) => [r.itemId, { referenceImageSha256: `ref-${r.uid}` }])),
  };
}

describe('CSV export', () => {
  it('quotes by RFC 4180: commas, quotes, CR/LF and edge spaces; null is empty', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField(null)).toBe('');
    expect(csvField(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(csvField(false)).toBe('false');
  });

  it('round-trips through csv-parse: one row per item, stable columns, every value back', () => {
    const input = hostileRun();
    const csv = toCsv(input);
    const rows = parseCsv(csv, { columns: true }) as Record<string, string>[];
    const header = (parseCsv(csv, { to_line: 1 }) as string[][])[0];
    expect(header).toEqual(ITEM_COLUMNS.map((c) => c.name));
    expect(header!.slice(0, 3)).toEqual(['item_id', 'uid', 'category']);
    expect(header!.at(-1)).toBe('code');
    for (const key of DETERMINISTIC_METRIC_KEYS) expect(header).toContain(key);
    expect(rows).toHaveLength(7);
    input.items.forEach((r, i) => {
      for (const c of ITEM_COLUMNS) {
        const v = c.value(r, true);
        expect(rows[i]![c.name], `${r.uid} ${c.name}`).toBe(v === null ? '' : String(v));
      }
    });
    expect(rows[6]!.code).toContain('\r\n');
    expect(rows[6]!.uid).toBe(`u6${HOSTILE}`);
    // The strict per-item Final: u0 (80 + 70 + 100) / 3.
    expect(Number(rows[0]!.final_strict)).toBeCloseTo(250 / 3, 10);
    expect(rows[4]!.exception_type).toBe('ZeroDivisionError');
    expect(rows[2]!.failure).toBe('syntax');
    expect(rows[2]!.ssim).toBe('');
  });

  it('no Final column values without both judges', () => {
    const rows = parseCsv(
      toCsv({ info: { id: 'r', name: 'r', judges: { image: false, code: true } }, items: sixItemRun() }),
      {
        columns: true,
      },
    ) as Record<string, string>[];
    expect(rows.every((r) => r.final_strict === '')).toBe(true);
  });
});

describe('JSON export', () => {
  it('holds the summary and every item with its stages, failure class and every metric', () => {
    const input = hostileRun();
    const json = JSON.parse(toJson(input)) as ReturnType<typeof reportJson>;
    expect(json.format).toBe('codepercept.eval-report');
    expect(json.summary.overall.items).toBe(7);
    expect(json.items).toHaveLength(7);
    expect(json.items[0]!.record).toEqual(input.items[0]);
    expect(json.items[2]!.row.failure).toBe('syntax');
    expect(Object.keys(json.items[0]!.record.metrics!)).toEqual(['version', ...DETERMINISTIC_METRIC_KEYS]);
    expect(json.items[0]!.extras).toEqual({ referenceImageSha256: 'ref-u0' });
    // Same object as reportJson, through JSON (no NaN or undefined lost on the way).
    expect(json).toEqual(JSON.parse(JSON.stringify(reportJson(input))));
  });
});

describe('HTML export', () => {
  const images = new Map<string, Buffer>([
    ['ref-u0', PNG],
    ['sha-render-u0', PNG],
    ['sha-render-u1', SVG],
  ]);
  const html = toHtml(hostileRun(), { loadImage: (sha) => images.get(sha) ?? null });

  type Node = {
    nodeName: string;
    tagName?: string;
    attrs?: { name: string; value: string }[];
    childNodes?: Node[];
    value?: string;
  };
  function walk(node: Node, visit: (n: Node) => void) {
    visit(node);
    for (const child of node.childNodes ?? []) walk(child, visit);
    const content = (node as { content?: Node }).content;
    if (content) walk(content, visit);
  }
  const doc = parseHtml(html) as unknown as Node;
  const elements: Node[] = [];
  let text = '';
  walk(doc, (n) => {
    if (n.tagName) elements.push(n);
    if (n.nodeName === '#text') text += n.value;
  });

  it('hostile strings in uid, category, code, reply and run name stay text: no script, no handler, no stray element', () => {
    expect(elements.filter((e) => e.tagName === 'script')).toEqual([]);
    for (const e of elements)
      for (const a of e.attrs ?? []) expect(a.name.startsWith('on'), `${e.tagName} ${a.name}`).toBe(false);
    expect(html.toLowerCase()).not.toContain('<script');
    expect(text).toContain(HOSTILE);
    expect(text).toContain(HOSTILE_ATTR);
    expect(text).toContain('</pre></details></td>');
    // Only our images: every img is a data URL (no request), and the only ones are the embedded PNGs.
    const srcs = elements
      .filter((e) => e.tagName === 'img')
      .map((e) => e.attrs!.find((a) => a.name === 'src')!.value);
    expect(srcs).toEqual([
      `data:image/png;base64,${PNG.toString('base64')}`,
      `data:image/png;base64,${PNG.toString('base64')}`,
    ]);
    expect(elements.filter((e) => ['link', 'iframe', 'object', 'embed'].includes(e.tagName!))).toEqual([]);
    expect(html).toContain(`content="default-src 'none'; img-src data:; style-src 'unsafe-inline'"`);
  });

  it('embeds images by magic bytes only; missing ones are said, SVG is never embedded', () => {
    expect(imageMime(PNG)).toBe('image/png');
    expect(imageMime(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(imageMime(SVG)).toBeNull();
    // u1's render is SVG bytes: not embedded, and said why; u1's reference is not stored.
    expect(text).toContain('image sha-render-u is not a PNG, JPEG, GIF or WebP');
    expect(text).toContain('image ref-u1 not available');
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('holds the summary tables with both Final variants and the failure taxonomy', () => {
    expect(text).toContain('Published scores');
    expect(text).toContain('ZeroDivisionError');
    for (const f of ['syntax', 'runtime', 'timeout', 'no_code']) expect(text).toContain(f);
    // Final published on the six items + u6 (executed, 10 / 20): a number with its CI, rendered to 1 decimal.
    const summary = reportJson(hostileRun()).summary;
    expect(text).toContain(summary.overall.final!.conditional.mean!.toFixed(1));
    expect(text).toContain(summary.overall.final!.strict.mean!.toFixed(1));
  });

  it('a run without judges says so instead of showing a Final', () => {
    const noJudges = toHtml({
      info: { id: 'r', name: 'r', judges: { image: false, code: false } },
      items: sixItemRun().map((r) => ({ ...r, imageJudgment: null, codeJudgment: null })),
    });
    expect(noJudges).toContain('Final, which needs both scores, is not defined');
    expect(noJudges).toContain('not in this run');
  });
});

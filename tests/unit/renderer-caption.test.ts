import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { CaptionMarkdown } from '../../renderer/src/datasets/CaptionMarkdown';
import {
  CHUNK_CHARS,
  chunkMarkdown,
  MAX_SHOWN_CHARS,
  utf8Length,
} from '../../renderer/src/datasets/markdownChunks';
import { MathFormula, MAX_FORMULA_CHARS } from '../../renderer/src/datasets/MathFormula';

const caption = (text: string) => renderToStaticMarkup(createElement(CaptionMarkdown, { text }));
const formula = (source: string, display = false) =>
  renderToStaticMarkup(createElement(MathFormula, { source, display }));
const count = (html: string, needle: string) => html.split(needle).length - 1;

/** A paragraph of the LaTeX-heavy kind that froze the item view: three inline formulas and a display one. */
const latexParagraph = (i: number) =>
  `Panel ${i} shows $f(x) = \\frac{1}{\\sqrt{2\\pi\\sigma^2}} e^{-\\frac{(x-\\mu)^2}{2\\sigma^2}}$, ` +
  `$\\sum_{k=0}^{n} \\binom{n}{k} x^k = (1+x)^n$ and $\\int_0^1 x^2\\,dx = \\tfrac13$.\n\n` +
  `$$\n\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix} \\begin{pmatrix} x \\\\ y \\end{pmatrix}` +
  ` = \\lambda \\begin{pmatrix} x \\\\ y \\end{pmatrix}\n$$\n\n`;

function latexCaption(chars: number): string {
  let text = '';
  for (let i = 0; text.length < chars; i++) text += latexParagraph(i);
  return text;
}

describe('chunkMarkdown', () => {
  it('keeps a short text whole', () => {
    expect(chunkMarkdown('A *short* caption with $x^2$.')).toEqual({
      chunks: ['A *short* caption with $x^2$.'],
      shownBytes: 29,
      totalBytes: 29,
    });
    expect(chunkMarkdown('').chunks).toEqual(['']);
  });

  it('cuts after the last paragraph that fits, and the parts put together are the text', () => {
    const text = 'aaaa aaaa\n\nbbbb bbbb\n\ncccc cccc\n\ndddd';
    const { chunks } = chunkMarkdown(text, 24);
    expect(chunks).toEqual(['aaaa aaaa\n\nbbbb bbbb\n\n', 'cccc cccc\n\ndddd']);
    expect(chunks.join('')).toBe(text);
  });

  it('cuts at no blank line inside a $$ block or code fence, and closes and reopens one it cuts', () => {
    const text = 'Intro.\n\n```python\nx = 1\n\ny = 2\n\nz = 3\n```\n\nAfter.';
    const { chunks } = chunkMarkdown(text, 30);
    // No paragraph boundary past half way: the cut is at a line break inside the fence.
    expect(chunks).toEqual(['Intro.\n\n```python\nx = 1\n\n```', '```python\ny = 2\n\nz = 3\n```\n\nAfter.']);

    expect(chunkMarkdown('$$\na\n\nb\n\nc\n\nd\n$$\n\nEnd.', 12).chunks).toEqual([
      '$$\na\n\nb\n\nc\n\n$$',
      '$$\nd\n$$\n\nEnd.',
    ]);
    // `$$x$$` on its own line is inline math, not an opening fence, so the blank line after it is a boundary.
    expect(chunkMarkdown('$$x$$\n\nsecond line', 12).chunks).toEqual(['$$x$$\n\n', 'second line']);
  });

  it('falls back to a space, then to a hard cut that keeps surrogate pairs whole', () => {
    expect(chunkMarkdown('one two three four five', 10).chunks).toEqual(['one two ', 'three ', 'four five']);
    const emoji = '😀'.repeat(6);
    const { chunks } = chunkMarkdown(emoji, 5);
    expect(chunks.every((c) => c.length <= 5 && !/[\ud800-\udbff]$/.test(c))).toBe(true);
    expect(chunks.join('')).toBe(emoji);
  });

  it('cuts a 187 KB LaTeX caption into parts of at most CHUNK_CHARS, each ending at a paragraph', () => {
    const text = latexCaption(187_000);
    const { chunks } = chunkMarkdown(text);
    expect(chunks.length).toBeGreaterThanOrEqual(Math.ceil(text.length / CHUNK_CHARS));
    expect(chunks.join('')).toBe(text);
    for (const c of chunks.slice(0, -1)) {
      expect(c.length).toBeLessThanOrEqual(CHUNK_CHARS);
      expect(c.endsWith('\n\n')).toBe(true);
    }
  });

  it('shows at most MAX_SHOWN_CHARS and measures the rest without copying it', () => {
    const text = 'x'.repeat(MAX_SHOWN_CHARS + 10);
    const { chunks, shownBytes, totalBytes } = chunkMarkdown(text);
    expect(chunks.join('').length).toBe(MAX_SHOWN_CHARS);
    expect([shownBytes, totalBytes]).toEqual([MAX_SHOWN_CHARS, MAX_SHOWN_CHARS + 10]);
  });

  it('measures UTF-8 as an encoder does', () => {
    for (const text of ['', 'ascii', 'é', 'π r²', '€', '😀 and 中文', 'mixed é€😀']) {
      expect(utf8Length(text)).toBe(Buffer.byteLength(text, 'utf8'));
    }
  });
});

describe('MathFormula', () => {
  it('typesets a formula, a display one as a block', () => {
    expect(formula('x^2')).toMatch(/^<span class="math-formula"><span class="katex">/);
    expect(formula('x^2', true)).toContain('<div class="math-formula"><span class="katex-display">');
  });

  it('shows a bad macro as an error span with its source instead of throwing', () => {
    const bomb = formula('\\def\\a{\\a\\a}\\a');
    expect(bomb).toContain('class="katex-error"');
    expect(bomb).toContain('Too many expansions');
    expect(formula('\\frac{1}{')).toContain('class="katex-error"');
  });

  it('caps user sizes at maxSize', () => {
    const html = formula('\\rule{1000em}{1000em}');
    expect(html).toContain('20em');
    expect(html).not.toContain('1000em;');
  });

  it('shows a formula longer than MAX_FORMULA_CHARS as its source', () => {
    const source = 'x+'.repeat(MAX_FORMULA_CHARS / 2 + 1);
    const html = formula(source);
    expect(html).toMatch(/^<code class="math-source" title="A formula of 2,002 characters/);
    expect(html).not.toContain('katex');
    expect(formula(source, true)).toMatch(/^<pre class="math-source"/);
  });
});

describe('CaptionMarkdown', () => {
  it('renders a short caption whole: Markdown, inline and display math, no button', () => {
    const html = caption('A **sine** wave $y = \\sin x$.\n\n$$\n\\int_0^\\pi \\sin x\\,dx = 2\n$$\n\n`code`');
    expect(html).toContain('<strong>sine</strong>');
    expect(count(html, 'class="katex"')).toBe(2);
    expect(count(html, 'class="katex-display"')).toBe(1);
    expect(html).not.toContain('<pre>');
    expect(html).toContain('<code>code</code>');
    expect(html).not.toContain('caption-show-all');
  });

  it('still drops raw HTML and keeps code blocks', () => {
    const html = caption('<img src=x onerror="alert(1)"> text\n\n```python\nplt.plot(x)\n```');
    expect(html).not.toContain('<img');
    expect(html).toContain('<pre><code class="language-python">plt.plot(x)\n</code></pre>');
  });

  it('opens a 187 KB LaTeX caption with its first part and a "Show all" button', () => {
    const text = latexCaption(187_000);
    const html = caption(text);
    const first = chunkMarkdown(text).chunks[0]!;
    expect(html).toContain('data-testid="caption-show-all"');
    expect(html).toMatch(/Show all \(18\d KiB\)/);
    // Math is typeset for the first part only, a tenth of the caption's formulas.
    const formulas = (markdown: string) => markdown.match(/\$\$\n[^$]*\n\$\$|\$[^$\n]+\$/g)!.length;
    expect(count(html, 'class="katex"')).toBe(formulas(first));
    expect(formulas(first) * 8).toBeLessThan(formulas(text));
    expect(html).toContain('Panel 0 shows');
    expect(html).not.toContain(`Panel ${count(text, 'Panel ') - 1} shows`);
    // The whole caption typeset is over 10 MB of HTML; the first part is a tenth of that.
    expect(html.length).toBeLessThan(1_500_000);
  });

  it('never renders a 100 MB caption whole: the first part, the button and a note on the cut', () => {
    const text = latexParagraph(0).repeat(Math.ceil(100e6 / latexParagraph(0).length));
    const html = caption(text);
    expect(html).toContain('data-testid="caption-show-all"');
    expect(html).toContain('Show all (1.0 MiB)');
    expect(html).toMatch(/data-testid="caption-cut">This text is 95 MiB; only its first 1.0 MiB is shown\./);
    expect(html.length).toBeLessThan(1_500_000);
  });
});

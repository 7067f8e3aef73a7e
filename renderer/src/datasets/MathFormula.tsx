import 'katex/dist/katex.min.css';
import katex from 'katex';
import type { KatexOptions } from 'katex';

/**
 * The longest formula typeset; a longer one is shown as its source. A 2,000-character formula is a large
 * matrix, typesets in about 50 ms and is some 100,000 characters of HTML: cost grows with length.
 */
export const MAX_FORMULA_CHARS = 2_000;

const katexOptions: KatexOptions = {
  // A bad formula comes back as its source in red with the error as a tooltip, instead of throwing.
  throwOnError: false,
  strict: 'ignore',
  // Sizes such as \rule{1000em}{1000em} are capped, so one formula cannot cover the page.
  maxSize: 20,
  // KaTeX's default, stated so it stays: a self-expanding macro (\def\a{\a\a}\a) stops after 1000 steps.
  maxExpand: 1000,
};

const chars = (n: number) => n.toLocaleString('en-US');

/** KaTeX's HTML for a formula, or null when KaTeX failed outside its own error handling. */
function typeset(source: string, displayMode: boolean): string | null {
  try {
    return katex.renderToString(source, { ...katexOptions, displayMode });
  } catch {
    return null;
  }
}

/** One $…$ (inline) or $$…$$ (display) formula, typeset by KaTeX; too long or failing, its source. */
export function MathFormula({ source, display }: { source: string; display: boolean }) {
  const tooLong = source.length > MAX_FORMULA_CHARS;
  const html = tooLong ? null : typeset(source, display);
  if (html === null) {
    const title = tooLong
      ? `A formula of ${chars(source.length)} characters is longer than the ${chars(MAX_FORMULA_CHARS)} ` +
        'typeset; shown as its source.'
      : 'KaTeX could not typeset this formula; shown as its source.';
    return display ? (
      <pre className="math-source" title={title}>
        {source}
      </pre>
    ) : (
      <code className="math-source" title={title}>
        {source}
      </code>
    );
  }
  const Box = display ? 'div' : 'span';
  // KaTeX's own markup, parsed by the browser: with `trust` off KaTeX escapes the source and emits no links
  // or scripts, and this skips rebuilding its HTML as React elements, most of the time a formula took.
  return <Box className="math-formula" dangerouslySetInnerHTML={{ __html: html }} />;
}

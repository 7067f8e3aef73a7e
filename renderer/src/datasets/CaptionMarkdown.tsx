import { memo, startTransition, useEffect, useMemo, useRef, useState } from 'react';
import ReactMarkdown from 'react-markdown';
import type { Components, ExtraProps } from 'react-markdown';
import remarkMath from 'remark-math';
import { formatBytes } from '../models/modelFormat';
import { chunkMarkdown } from './markdownChunks';
import { MathFormula } from './MathFormula';

const remarkPlugins = [remarkMath];

type HtmlElement = NonNullable<ExtraProps['node']>;

/** remark-math's formulas (and ```math blocks) reach the HTML tree as <code class="language-math">. */
function isMath(node: HtmlElement | undefined): boolean {
  const classes = node?.properties.className;
  return Array.isArray(classes) && classes.includes('language-math');
}

const components: Components = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  ),
  // A display formula comes wrapped in <pre>; it is typeset in place of the block.
  pre: ({ node, children }) =>
    node?.children.some((child) => child.type === 'element' && isMath(child)) ? (
      children
    ) : (
      <pre>{children}</pre>
    ),
  code: ({ node, className, children }) =>
    isMath(node) ? (
      <MathFormula source={String(children)} display={!className?.includes('math-inline')} />
    ) : (
      <code className={className}>{children}</code>
    ),
};

/** One part of a caption; memoised so showing the next part leaves the ones on screen alone. */
const MarkdownPart = memo(function MarkdownPart({ text }: { text: string }) {
  return (
    <ReactMarkdown remarkPlugins={remarkPlugins} components={components} skipHtml>
      {text}
    </ReactMarkdown>
  );
});

/**
 * A caption as Markdown with $…$ / $$…$$ LaTeX; raw HTML in the text is dropped, never rendered. A long
 * one opens with its first part and a "Show all" button; after it, the next part is added whenever the end
 * of the shown ones comes within a screen of view, so the work follows the reading (a part of dense LaTeX
 * takes hundreds of milliseconds) and the page paints and takes input between parts. Past markdownChunks'
 * MAX_SHOWN_CHARS the text is cut, with a note.
 */
export function CaptionMarkdown({ text }: { text: string }) {
  const { chunks, shownBytes, totalBytes } = useMemo(() => chunkMarkdown(text), [text]);
  // Kept with the text it belongs to, so another item's caption opens at its first part again.
  const [reveal, setReveal] = useState({ text, parts: 1 });
  const parts = reveal.text === text ? reveal.parts : 1;
  const end = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    if (!end.current) return;
    // A fresh observer reports at once, so parts keep coming while the end stays near the view.
    const observer = new IntersectionObserver(
      ([entry]) => {
        if (entry?.isIntersecting) startTransition(() => setReveal({ text, parts: parts + 1 }));
      },
      { rootMargin: '0px 0px 100% 0px' },
    );
    observer.observe(end.current);
    return () => observer.disconnect();
  }, [text, parts]);

  return (
    <div className="caption-md" data-testid="caption">
      {chunks.slice(0, parts).map((chunk, i) => (
        <MarkdownPart key={i} text={chunk} />
      ))}
      {parts < chunks.length &&
        (parts === 1 ? (
          <button
            type="button"
            className="button button--small caption-md__more"
            data-testid="caption-show-all"
            onClick={() => setReveal({ text, parts: 2 })}
          >
            Show all ({formatBytes(shownBytes)})
          </button>
        ) : (
          <p ref={end} className="muted caption-md__more" role="status">
            Showing part {parts} of {chunks.length}…
          </p>
        ))}
      {totalBytes > shownBytes && (
        <p className="muted caption-md__more" data-testid="caption-cut">
          This text is {formatBytes(totalBytes)}; only its first {formatBytes(shownBytes)} is shown.
        </p>
      )}
    </div>
  );
}

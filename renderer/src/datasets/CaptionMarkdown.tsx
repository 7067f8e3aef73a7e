import 'katex/dist/katex.min.css';
import ReactMarkdown from 'react-markdown';
import rehypeKatex from 'rehype-katex';
import remarkMath from 'remark-math';

const remarkPlugins = [remarkMath];
// A bad formula shows its source in red instead of breaking the caption.
const rehypePlugins: Parameters<typeof ReactMarkdown>[0]['rehypePlugins'] = [
  [rehypeKatex, { throwOnError: false, strict: 'ignore' }],
];

/** A caption as Markdown with $…$ / $$…$$ LaTeX; raw HTML in the text is dropped, never rendered. */
export function CaptionMarkdown({ text }: { text: string }) {
  return (
    <div className="caption-md" data-testid="caption">
      <ReactMarkdown
        remarkPlugins={remarkPlugins}
        rehypePlugins={rehypePlugins}
        skipHtml
        components={{
          a: ({ href, children }) => (
            <a href={href} target="_blank" rel="noreferrer noopener">
              {children}
            </a>
          ),
        }}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
}

import { parseSnippet } from './snippet';

/** A search snippet: hits (between « and ») as <mark>, everything as text — never as HTML. */
export function SnippetText({ snippet }: { snippet: string }) {
  return (
    <span className="snippet" data-testid="snippet">
      {parseSnippet(snippet).map((part, i) =>
        part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
      )}
    </span>
  );
}

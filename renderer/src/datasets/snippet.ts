export interface SnippetPart {
  text: string;
  hit: boolean;
}

/**
 * Splits a search snippet whose hits sit between « and » into plain and highlighted parts; the caller renders
 * them as text and <mark>, never as HTML. An unclosed « runs to the end; a stray » is kept as text.
 */
export function parseSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  const push = (text: string, hit: boolean) => {
    if (text === '') return;
    const last = parts.at(-1);
    if (last && last.hit === hit) last.text += text;
    else parts.push({ text, hit });
  };
  let rest = snippet;
  while (rest !== '') {
    const open = rest.indexOf('«');
    if (open < 0) {
      push(rest, false);
      break;
    }
    push(rest.slice(0, open), false);
    const close = rest.indexOf('»', open + 1);
    if (close < 0) {
      push(rest.slice(open + 1), true);
      break;
    }
    push(rest.slice(open + 1, close), true);
    rest = rest.slice(close + 1);
  }
  return parts;
}

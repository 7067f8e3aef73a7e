/**
 * Characters per rendered part of a caption. The first part is all an item opens with; typeset LaTeX is
 * about 60 times its source in HTML, so 20,000 characters of dense math stay a fraction of a second.
 */
export const CHUNK_CHARS = 20_000;

/**
 * The most of a text ever rendered. The engine refuses captions over 1 MiB of UTF-8, which is never more
 * characters than this, so only text from elsewhere (an older database, a model's answer) is cut.
 */
export const MAX_SHOWN_CHARS = 1024 * 1024;

/** A text split for rendering a part at a time. */
export interface MarkdownChunks {
  /** The shown text in order, each part Markdown on its own; the first is the preview. */
  chunks: string[];
  /** UTF-8 size of the shown text. */
  shownBytes: number;
  /** UTF-8 size of the whole text: more than shownBytes when it was cut at MAX_SHOWN_CHARS. */
  totalBytes: number;
}

/** An open code or math block; a cut inside one closes it and opens it again in the next part. */
interface Fence {
  opener: string;
  marker: string;
}

interface Cut {
  at: number;
  fence: Fence | null;
}

const FENCE_OPENER = /^ {0,3}(`{3,}|~{3,}|\${2,})(.*)$/;
const BLANK_LINE = /^[ \t\r]*$/;

/** UTF-8 size without encoding the text (a 100 MB caption must not be copied to measure it). */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) continue;
    // A surrogate pair is 4 bytes for 2 units; every other unit above ASCII takes 2 or 3 bytes.
    bytes += unit < 0x800 || (unit >= 0xd800 && unit <= 0xdfff) ? 1 : 2;
  }
  return bytes;
}

/** `at`, moved back one if it would split a surrogate pair. */
function unitBoundary(text: string, at: number): number {
  const before = text.charCodeAt(at - 1);
  return before >= 0xd800 && before <= 0xdbff ? at - 1 : at;
}

/** The fence open after `line`, given the one open before it. */
function fenceAfter(line: string, open: Fence | null): Fence | null {
  if (open) {
    const closer = line.trim();
    const closes = closer.length >= open.marker.length && closer === open.marker[0]!.repeat(closer.length);
    return closes ? null : open;
  }
  const match = FENCE_OPENER.exec(line);
  if (!match) return null;
  const marker = match[1]!;
  // As in CommonMark, a backtick fence's info has no backtick, nor a $$ fence's a dollar: `$$x$$` is inline.
  if (marker[0] !== '~' && match[2]!.includes(marker[0]!)) return null;
  return { opener: line, marker };
}

/**
 * Where the part starting at `start` ends, at most at `limit` and past half way: after a blank line outside
 * any block (a paragraph boundary), else at a line break, else at a space, else at `limit` itself.
 */
function findCut(text: string, start: number, limit: number, fence: Fence | null): Cut {
  const floor = start + Math.floor((limit - start) / 2);
  let state = fence;
  let paragraph: number | null = null;
  let line: Cut | null = null;
  for (let lineStart = start; lineStart < limit;) {
    const newline = text.indexOf('\n', lineStart);
    if (newline === -1 || newline >= limit) break;
    const lineText = text.slice(lineStart, newline);
    state = fenceAfter(lineText, state);
    lineStart = newline + 1;
    if (lineStart <= floor) continue;
    line = { at: lineStart, fence: state };
    if (state === null && BLANK_LINE.test(lineText)) paragraph = lineStart;
  }
  if (paragraph !== null) return { at: paragraph, fence: null };
  if (line) return line;
  const space = text.lastIndexOf(' ', limit - 1);
  return { at: space >= floor ? space + 1 : unitBoundary(text, limit), fence: state };
}

/**
 * `text` (up to MAX_SHOWN_CHARS of it) in parts of at most about `chunkChars`, so each can go through the
 * Markdown + KaTeX pipeline on its own and the work for any one of them stays bounded.
 */
export function chunkMarkdown(
  text: string,
  chunkChars = CHUNK_CHARS,
  maxChars = MAX_SHOWN_CHARS,
): MarkdownChunks {
  const shown = text.length > maxChars ? text.slice(0, unitBoundary(text, maxChars)) : text;
  const chunks: string[] = [];
  let start = 0;
  let fence: Fence | null = null;
  for (;;) {
    const reopen = fence ? `${fence.opener}\n` : '';
    if (shown.length - start <= chunkChars) {
      chunks.push(reopen + shown.slice(start));
      break;
    }
    const cut = findCut(shown, start, start + chunkChars, fence);
    const part = shown.slice(start, cut.at);
    const close = cut.fence ? `${part.endsWith('\n') ? '' : '\n'}${cut.fence.marker}` : '';
    chunks.push(reopen + part + close);
    start = cut.at;
    fence = cut.fence;
  }
  const shownBytes = utf8Length(shown);
  return { chunks, shownBytes, totalBytes: shown === text ? shownBytes : utf8Length(text) };
}

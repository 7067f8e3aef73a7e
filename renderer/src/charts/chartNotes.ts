/** Splits note sentences into lines of at most `maxChars` at word boundaries (SVG text does not wrap). */
export function wrapNotes(notes: readonly string[], maxChars: number): string[] {
  const lines: string[] = [];
  for (const note of notes) {
    let current = '';
    for (const word of note.split(/\s+/)) {
      if (current && current.length + 1 + word.length > maxChars) {
        lines.push(current);
        current = `  ${word}`;
      } else current = current ? `${current} ${word}` : word;
    }
    if (current) lines.push(current);
  }
  return lines;
}

/** Characters of 11px sans text that fit a width, roughly (6.2px per character on average). */
export function charsForWidth(width: number): number {
  return Math.max(30, Math.floor(width / 6.2));
}

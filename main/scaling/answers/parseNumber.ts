/**
 * The value of a numeric answer as models and benchmarks write it: `1,234.5`, `-3` (also with the Unicode
 * minus), `1.5e-3`, `1.5 \times 10^{-3}`, `3/4`, `\frac{3}{4}` (`\dfrac`, `\tfrac`), `2\sqrt{3}`, `\sqrt[3]{8}`,
 * `\pi` multiples (`\frac{\pi}{2}`, `3π`), `45^\circ`, `12 cm`, `50%`. A left side (`x = 3`) is dropped and a
 * trailing unit (letters, `°`, `%`, powers, one `/unit`) is ignored; degrees stay degrees and a percent stays
 * the number written (`50%` is 50). Anything else that is not arithmetic makes the text "not a number" (null).
 */
export interface ParsedNumber {
  value: number;
  /** Written as a plain integer (`12`, `-3`, `1,000`): such golds are matched exactly, not within tolerance. */
  integer: boolean;
}

function normalise(text: string): string {
  let out = text.normalize('NFKC');
  // The right side of the last "=" or "≈" is the value ("x = 3", "AB ≈ 4.2").
  const sides = out.split(/=|≈|\\approx/);
  out = sides.at(-1)!;
  return out
    .replace(/[−‐‑–﹣－]/g, '-')
    .replace(/\$/g, '')
    .replace(/\\[dt]frac/g, '\\frac')
    .replace(/\\(?:left|right)\b/g, '')
    .replace(/\\[,!;: ]/g, '')
    .replace(/\{,\}/g, ',')
    .replace(/\\(?:text|mathrm|mbox|operatorname)\s*\{([^{}]*)\}/g, ' $1')
    .replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|\\circ|\\degree|°/g, ' deg')
    .replace(/\\%/g, '%')
    .replace(/\\(?:cdot|times)|×|·/g, '*')
    .replace(/\\pi\b|π/g, 'π')
    .replace(/(\d),(?=\d{3}(?!\d))/g, '$1')
    .trim();
}

const UNIT =
  /^(?:[a-zµμ%²³]+(?:\s+[a-z]+){0,2}(?:\s*\^?\s*\{?[23]\}?)?(?:\s*\/\s*[a-z]+(?:\s*\^?\s*\{?[23]\}?)?)?)?\.?$/i;

class Parser {
  pos = 0;
  constructor(private readonly s: string) {}

  private skip(): void {
    while (this.s[this.pos] === ' ') this.pos++;
  }
  private peek(word = ''): boolean {
    this.skip();
    return word === '' ? this.pos < this.s.length : this.s.startsWith(word, this.pos);
  }
  private eat(word: string): boolean {
    if (!this.peek(word)) return false;
    this.pos += word.length;
    return true;
  }
  private expect(word: string): void {
    if (!this.eat(word)) throw new Error(`expected ${word}`);
  }

  rest(): string {
    return this.s.slice(this.pos).trim();
  }

  expr(): number {
    let value = this.term();
    for (;;) {
      if (this.eat('+')) value += this.term();
      else if (this.eat('-')) value -= this.term();
      else return value;
    }
  }

  private term(): number {
    let value = this.factor();
    for (;;) {
      if (this.eat('*')) value *= this.factor();
      else if (this.eat('/')) value /= this.factor();
      // Implicit products: 2\sqrt{3}, 3π, \frac{\pi}{2}... but never two bare numbers ("1 000").
      else if (this.peek('π') || this.peek('\\sqrt') || this.peek('\\frac') || this.peek('('))
        value *= this.factor();
      else return value;
    }
  }

  private factor(): number {
    if (this.eat('-')) return -this.factor();
    if (this.eat('+')) return this.factor();
    const base = this.primary();
    return this.eat('^') ? base ** this.exponent() : base;
  }

  private exponent(): number {
    if (this.eat('{')) {
      const value = this.expr();
      this.expect('}');
      return value;
    }
    return this.factor();
  }

  private group(): number {
    if (this.eat('{')) {
      const value = this.expr();
      this.expect('}');
      return value;
    }
    return this.primary();
  }

  private primary(): number {
    this.skip();
    const number = /^(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?/i.exec(this.s.slice(this.pos));
    if (number) {
      this.pos += number[0].length;
      return Number(number[0]);
    }
    if (this.eat('π')) return Math.PI;
    if (this.eat('\\frac')) {
      const top = this.group();
      return top / this.group();
    }
    if (this.eat('\\sqrt')) {
      let degree = 2;
      if (this.eat('[')) {
        degree = this.expr();
        this.expect(']');
      }
      return this.group() ** (1 / degree);
    }
    for (const [open, close] of [
      ['(', ')'],
      ['{', '}'],
    ] as const) {
      if (this.eat(open)) {
        const value = this.expr();
        this.expect(close);
        return value;
      }
    }
    throw new Error('expected a number');
  }
}

export function parseNumber(text: string): ParsedNumber | null {
  const source = normalise(text);
  if (!/\d|π/.test(source)) return null;
  const parser = new Parser(source);
  let value: number;
  try {
    value = parser.expr();
  } catch {
    return null;
  }
  if (!Number.isFinite(value) || !UNIT.test(parser.rest())) return null;
  return { value, integer: /^-?\d+$/.test(source.replace(/\s*[a-zµμ%°²³].*$/i, '').trim()) };
}

/** A stable printed form: 12 significant digits, so 0.1 + 0.2 reads "0.3". */
export function formatNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}

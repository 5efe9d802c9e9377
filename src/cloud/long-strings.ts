// Cuts the JSON string literals of a body that are longer than a bound while the body arrives,
// so an answer holding an 8 MiB URN never holds it whole: not in bytes, not as text, not parsed.
// Hand-written: the JSON stream parsers on npm (@streamparser/json, stream-json, json-ext) hand
// each string over whole or as token objects to re-serialise, and none cuts while it reads.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const U = 0x75;
/** The characters a backslash may escape, other than `u`: `"` `\` `/` `b` `f` `n` `r` `t`. */
const SHORT_ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);

/** The value of a hex digit byte, or -1. */
function hexDigit(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  const lower = b | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/** The UTF-16 unit of the `\uXXXX` escape at `from` in `bytes` (digits already checked). */
const escapedUnit = (bytes: number[], from: number): number => bytes.slice(from + 2, from + 6).reduce((n, b) => n * 16 + hexDigit(b), 0);
const isHigh = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** The end of a cut string: `omitted` UTF-16 units were left out. */
export const cutMark = (omitted: number): string => `… (${omitted} more characters)`;

/**
 * A byte filter over a JSON text: every string literal (keys too) whose value is longer than
 * `maxChars` UTF-16 units keeps its longest prefix of whole characters that fits, followed by
 * `cutMark`. A cut is never inside an escape, a UTF-8 sequence or a surrogate pair, so the result
 * is JSON whenever the input is. What is left out is still checked for what JSON forbids in a
 * string (control characters, bad escapes): a body that is not JSON never becomes JSON.
 */
export class LongStringCutter {
  private readonly out: Buffer[] = [];
  private inString = false;
  /** The current string's UTF-16 units kept so far. */
  private units = 0;
  /** Set once the current string is cut; then its units are counted, not kept. */
  private omitted = -1;
  /** Continuation bytes the current UTF-8 sequence still expects. */
  private continuations = 0;
  /** An escape in progress, held back until whole (a high surrogate waits for its low half). */
  private held: number[] = [];
  private invalid = false;

  constructor(private readonly maxChars: number) {}

  private get cut(): boolean {
    return this.omitted >= 0;
  }

  write(chunk: Buffer): void {
    if (this.invalid) return;
    // Start of the span of `chunk` to keep, or -1 while bytes are left out or held.
    let from = this.inString && (this.cut || this.held.length) ? -1 : 0;
    const keep = (end: number) => {
      if (from >= 0 && end > from) this.out.push(chunk.subarray(from, end));
      from = -1;
    };
    for (let i = 0; i < chunk.length;) {
      if (!this.inString) {
        const quote = chunk.indexOf(QUOTE, i);
        if (quote < 0) break;
        this.inString = true;
        this.units = 0;
        this.omitted = -1;
        this.continuations = 0;
        i = quote + 1;
        continue;
      }
      const b = chunk[i]!;
      if (this.held.length) {
        const next = this.escapeByte(b);
        if (next === 'invalid') return void (this.invalid = true);
        if (this.held.length) i++;
        else {
          // The escape is settled: `b` was its last byte ('consumed') or belongs to what follows.
          if (next === 'consumed') i++;
          if (!this.cut) from = i;
        }
        continue;
      }
      if (b >= 0x20 && b < 0x80 && b !== QUOTE && b !== BACKSLASH) {
        // A run of plain ASCII, one unit a byte: the bulk of any string, counted in one go.
        let end = i + 1;
        while (end < chunk.length) {
          const c = chunk[end]!;
          if (c < 0x20 || c >= 0x80 || c === QUOTE || c === BACKSLASH) break;
          end++;
        }
        this.continuations = 0;
        if (this.cut) this.omitted += end - i;
        else if (this.units + (end - i) <= this.maxChars) this.units += end - i;
        else {
          const kept = this.maxChars - this.units;
          this.units = this.maxChars;
          this.omitted = end - i - kept;
          keep(i + kept);
        }
        i = end;
        continue;
      }
      if (b === QUOTE) {
        if (this.cut) {
          this.out.push(Buffer.from(cutMark(this.omitted)));
          from = i;
        }
        this.inString = false;
        i++;
        continue;
      }
      if (b < 0x20) return void (this.invalid = true);
      if (b === BACKSLASH) {
        keep(i);
        this.continuations = 0;
        this.held.push(b);
        i++;
        continue;
      }
      if (b < 0xc0 && this.continuations > 0) {
        this.continuations--;
        i++;
        continue;
      }
      // A UTF-8 lead byte, or a stray byte counted as one unit.
      this.continuations = b >= 0xf0 && b < 0xf8 ? 3 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xc0 && b < 0xe0 ? 1 : 0;
      if (!this.take(this.continuations === 3 ? 2 : 1)) keep(i);
      i++;
    }
    keep(chunk.length);
  }

  /** The filtered body, or `invalid` when what was left out is not allowed in a JSON string. */
  end(): { body: Buffer; invalid: boolean } {
    const body = Buffer.concat(this.out);
    this.out.length = 0;
    return { body, invalid: this.invalid };
  }

  /** Counts a character of `n` units: true while it is kept. */
  private take(n: number): boolean {
    if (this.cut) this.omitted += n;
    else if (this.units + n > this.maxChars) this.omitted = n;
    else this.units += n;
    return !this.cut;
  }

  /** Settles the first `length` held bytes as one character of `n` units, kept or left out. */
  private settle(length: number, n: number): void {
    const bytes = this.held.splice(0, length);
    if (this.take(n)) this.out.push(Buffer.from(bytes));
  }

  /**
   * One byte of a held escape. 'consumed': `b` is part of it; 'next': the escape ended before `b`,
   * which is read again as what follows it.
   */
  private escapeByte(b: number): 'consumed' | 'next' | 'invalid' {
    const held = this.held;
    // A whole \uXXXX high surrogate: a `\u` low surrogate may follow and make one character of it.
    if (held.length === 6 || held.length === 7) {
      if ((held.length === 6 && b === BACKSLASH) || (held.length === 7 && b === U)) {
        held.push(b);
        return 'consumed';
      }
      this.settle(6, 1);
      return held.length ? this.escapeByte(b) : 'next';
    }
    if (held.length === 1) {
      if (b === U) held.push(b);
      else if (SHORT_ESCAPES.has(b)) {
        held.push(b);
        this.settle(2, 1);
      } else return 'invalid';
      return 'consumed';
    }
    if (hexDigit(b) < 0) return 'invalid';
    held.push(b);
    if (held.length === 6 && !isHigh(escapedUnit(held, 0))) this.settle(6, 1);
    else if (held.length === 12) {
      if (isLow(escapedUnit(held, 6))) this.settle(12, 2);
      else {
        this.settle(6, 1);
        if (!isHigh(escapedUnit(held, 0))) this.settle(6, 1);
      }
    }
    return 'consumed';
  }
}

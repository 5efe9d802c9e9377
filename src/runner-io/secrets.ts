import { CSI_SEQUENCE, IGNORABLE, hasIgnorable, stripControls, stripIgnorable } from './untrusted-text.js';
import { SECRET } from '../domain/stack-outputs.js';

/**
 * Short values. The runner masks any `::add-mask::` value that is not blank, whatever its length,
 * together with encodings of it (actions/runner `ValueEncoders`); a 2-3 character secret (`mm`,
 * `and`) therefore shreds ordinary words in the job log. It masks only what is displayed, after
 * reading commands, so its own commands are not harmed. We mirror that sanely:
 * - a value shorter than 2 characters is neither masked nor redacted (it would only shred text);
 * - redaction only ever runs over deployment or service text, never over a line or Markdown of
 *   our own, so a short secret cannot break a command, the comment marker or the report layout;
 * - encodings whose output is only a few characters of base64 (values under 6 characters, the
 *   runner's own floor for its PowerShell encoders) are not redacted: they would match everywhere.
 */
const MIN_VALUE = 2;
/** JSON deeper than this is hidden whole rather than walked. */
const MAX_JSON_DEPTH = 64;
const MIN_ENCODED_VALUE = 6;

/** Every secret this process knows, so text the runner does not mask can be redacted too. */
export class SecretRegistry {
  private readonly values = new Set<string>();
  /** The values and their encodings, longest first; rebuilt when a value is added. */
  private patterns: string[] = [];

  constructor(private readonly mask: (value: string) => void) {}

  /** Masks the value, and each of its lines: the runner splits on `\r` and `\n` and masks per line. */
  add(value: string | undefined): void {
    if (!value || this.values.has(value)) return;
    let added = false;
    for (const part of [value, ...value.split(/[\r\n]+/).map((line) => line.trim())]) {
      if (part.length < MIN_VALUE || this.values.has(part)) continue;
      this.values.add(part);
      this.mask(part);
      added = true;
    }
    if (!added) return;
    const all = new Set<string>();
    for (const v of this.values) for (const form of encodings(v)) all.add(form);
    this.patterns = [...all].sort((a, b) => b.length - a.length);
  }

  /**
   * For text we post ourselves (PR comment, step summary, annotations): nothing masks it after us.
   * Drops ANSI codes and control characters (no sink takes them), then replaces every secret and
   * every encoding of it with `***`, looking past invisible characters (a secret split by a
   * zero-width space is whole again). Every other character is kept: an emoji's ZWJ, an RTL mark.
   */
  redactForPost(text: string): string {
    return this.redactLogLine(stripControls(text));
  }

  /**
   * For JSON data (the `outputs` output, the dry-run request): a copy where every key, string,
   * number or literal that holds a secret, in any encoding, is `"[secret]"`. The JSON text is
   * never edited, so the result always serialises to JSON that parses.
   */
  redactJson(value: unknown): unknown {
    return this.patterns.length ? this.redactValue(value, 0) : value;
  }

  private redactValue(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.holdsSecret(value) ? SECRET : value;
    if (typeof value !== 'object' || value === null) return value === undefined || !this.holdsSecret(JSON.stringify(value) ?? '') ? value : SECRET;
    if (depth >= MAX_JSON_DEPTH) return SECRET; // fail closed: what is not looked at is not shown
    if (Array.isArray(value)) return value.map((v) => this.redactValue(v, depth + 1));
    const out: Record<string, unknown> = {};
    let hidden = 0;
    for (const [key, v] of Object.entries(value)) {
      const name = this.holdsSecret(key) ? (hidden++ ? `${SECRET} ${hidden}` : SECRET) : key;
      // defineProperty: a key named __proto__ stays a key.
      Object.defineProperty(out, name, { value: this.redactValue(v, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  /** Whether the text, as it is, as its JSON string content, or past invisible characters, holds a secret. */
  private holdsSecret(text: string): boolean {
    if (text === SECRET) return false;
    const json = JSON.stringify(text).slice(1, -1);
    return [text, json, stripIgnorable(text), stripIgnorable(json)].some((form) => this.findRanges(form).length > 0);
  }

  /**
   * For one line of deployment or service text going to the job log (the runner masks it too;
   * this keeps secrets out of the raw bytes). Keeps colours: secrets are looked for with ANSI
   * codes removed, and the whole span they cover is replaced. Never pass our own workflow
   * command lines: a short secret would change them.
   */
  redactLogLine(line: string): string {
    if (!this.patterns.length) return line;
    // Inside OSC payloads (hyperlinks) first: the view below drops them.
    const raw = replaceRanges(line, this.findRanges(line));
    return hasIgnorable(raw) ? this.redactAroundCodes(raw) : raw;
  }

  /** Kept for callers written before the split: same as `redactLogLine`, for any text. */
  redact(text: string): string {
    return this.redactLogLine(text);
  }

  private redactAroundCodes(text: string): string {
    // The view without ignorable sequences, and for each of its characters the index in `text`.
    const at: number[] = [];
    let view = '';
    let from = 0;
    for (const m of text.matchAll(IGNORABLE)) {
      for (let i = from; i < m.index; i++) at.push(i);
      view += text.slice(from, m.index);
      from = m.index + m[0].length;
    }
    for (let i = from; i < text.length; i++) at.push(i);
    view += text.slice(from);
    const ranges = this.findRanges(view);
    if (!ranges.length) return text;
    let out = '';
    let cursor = 0;
    for (const [start, end] of ranges) {
      const origStart = at[start]!;
      const origEnd = at[end - 1]! + 1;
      out += text.slice(cursor, origStart) + '***';
      // Colour codes inside the secret carry no text; keep them so the colours after stay right.
      for (const m of text.slice(origStart, origEnd).matchAll(IGNORABLE)) if (CSI_SEQUENCE.test(m[0])) out += m[0];
      cursor = origEnd;
    }
    return out + text.slice(cursor);
  }

  /** Every occurrence of every pattern, merged where they overlap or touch (as the runner does). */
  private findRanges(text: string): Array<[number, number]> {
    const found: Array<[number, number]> = [];
    for (const p of this.patterns) {
      for (let i = text.indexOf(p); i >= 0; i = text.indexOf(p, i + 1)) found.push([i, i + p.length]);
    }
    if (found.length < 2) return found;
    found.sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [found[0]!];
    for (const [start, end] of found.slice(1)) {
      const last = merged.at(-1)!;
      if (start <= last[1]) last[1] = Math.max(last[1], end);
      else merged.push([start, end]);
    }
    return merged;
  }
}

function replaceRanges(text: string, ranges: Array<[number, number]>): string {
  if (!ranges.length) return text;
  let out = '';
  let cursor = 0;
  for (const [start, end] of ranges) {
    out += `${text.slice(cursor, start)}***`;
    cursor = end;
  }
  return out + text.slice(cursor);
}

/**
 * The forms a secret can take in text, as the runner's masker registers them (actions/runner
 * `HostContext` + `ValueEncoders`), plus the forms JavaScript's own encoders produce.
 */
export function encodings(value: string): string[] {
  const forms = new Set<string>([value, stripControls(value), stripIgnorable(value)]);
  // JSON string content: Newtonsoft (runner) also escapes U+0085, U+2028, U+2029; JSON.stringify does not.
  const json = JSON.stringify(value).slice(1, -1);
  forms.add(json);
  forms.add(json.replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  // URL: .NET Uri.EscapeDataString escapes all but A-Z a-z 0-9 - _ . ~; encodeURIComponent keeps !'()* too.
  const uri = encodeURIComponent(value.replace(LONE_SURROGATE, '\ufffd'));
  forms.add(uri);
  forms.add(uri.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
  forms.add(value.replace(/"/g, '\\"')); // command-line argument
  forms.add(value.replace(/'/g, "''")); // expression string
  forms.add(value.replace(/[&<>"']/g, (c) => XML[c]!)); // XML data
  if (value.length > 8 && value.startsWith('"') && value.endsWith('"')) forms.add(value.slice(1, -1));
  if (value.length >= MIN_ENCODED_VALUE) {
    for (const form of base64Forms(value)) forms.add(form);
    for (const form of powerShellSections(value)) forms.add(form);
  }
  return [...forms].filter((form) => form.length >= MIN_VALUE);
}
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const XML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Base64 of the value's UTF-8 bytes as they line up at each of the three byte offsets the value
 * can start at inside a longer encoded text (`base64(user:password)`): the bytes from 0, 1 and 2
 * on. Each is trimmed as the runner's ADR 0297 does: `=` padding dropped, and with it the last
 * character, which also depends on whatever byte follows the secret. The full padded form is
 * kept too (what a plain `base64 secret` prints). Every trimmed form is a prefix of the padded one.
 */
export function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms = [bytes.toString('base64')];
  for (let shift = 0; shift < 3 && bytes.length - shift >= 3; shift++) {
    const b64 = bytes.subarray(shift).toString('base64');
    const trimmed = b64.endsWith('=') ? b64.replace(/=+$/, '').slice(0, -1) : b64;
    if (trimmed.length >= 4) forms.push(trimmed);
  }
  return forms;
}

/** The runner masks the parts around `&` that PowerShell may print apart (each at least 6 characters). */
function powerShellSections(value: string): string[] {
  if (!value.includes('&')) return [];
  const plus = value.indexOf('&+');
  const before = plus >= 0 ? value.slice(0, plus + 2) : value.slice(0, value.lastIndexOf('&') + 1);
  const after = plus >= 0 ? value.slice(plus + 3) : value.slice(value.lastIndexOf('&') + 1);
  return [before, after].filter((part) => part.length >= 6);
}

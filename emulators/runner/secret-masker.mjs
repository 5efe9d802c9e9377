// The runner's secret masker, reimplemented from actions/runner:
// src/Sdk/DTLogging/Logging/SecretMasker.cs (exact, ordinal, overlapping ranges merged into one `***`),
// ValueEncoders.cs (the encoders) and Runner.Common/HostContext.cs (which encoders are registered).
// The masker has no minimum length: any non-empty value is masked; only some encoders have one.

const utf8 = (s) => Buffer.from(s, 'utf8');

// ValueEncoders.Base64StringEscape / Base64StringEscapeShift(1|2): standard base64 WITH padding of
// the UTF-8 bytes, dropping 1 or 2 leading bytes (when there are more bytes than the shift).
// No padding is trimmed, so a padded form only matches where the encoded secret ends the base64.
export function base64Shift(value, shift) {
  const bytes = utf8(value);
  return (bytes.length > shift ? bytes.subarray(shift) : bytes).toString('base64');
}

// .NET Uri.EscapeDataString: everything but RFC 3986 unreserved (A-Z a-z 0-9 - _ . ~) is %XX (upper hex).
// encodeURIComponent also leaves ! ' ( ) * alone; lone surrogates make it throw (the runner gets U+FFFD).
export function uriDataEscape(value) {
  const wellFormed = value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  return encodeURIComponent(wellFormed).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

// Newtonsoft JsonConvert.ToString(string) without the quotes: escapes " \ and control characters
// (\b \t \n \f \r short forms, others \u00xx lowercase), plus U+0085, U+2028, U+2029; nothing else.
export function jsonStringEscape(value) {
  const short = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };
  return value.replace(/["\\\u0000-\u001f\u0085\u2028\u2029]/g, (c) => short[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// System.Security.SecurityElement.Escape.
export function xmlDataEscape(value) {
  const map = { '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '&': '&amp;' };
  return value.replace(/[<>"'&]/g, (c) => map[c]);
}

export function trimDoubleQuotes(value) {
  return value.length > 8 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : '';
}

export function powerShellPreAmpersand(value) {
  if (!value.includes('&')) return '';
  const section = value.includes('&+') ? value.slice(0, value.indexOf('&+') + 2) : value.slice(0, value.lastIndexOf('&') + 1);
  return section.length >= 6 ? section : '';
}

export function powerShellPostAmpersand(value) {
  if (!value.includes('&')) return '';
  let section = '';
  if (value.includes('&+')) {
    // +1 skips the letter PowerShell colours.
    const from = value.indexOf('&+') + 3;
    if (value.length > from) section = value.slice(from);
  } else {
    section = value.slice(value.lastIndexOf('&') + 1);
  }
  return section.length >= 6 ? section : '';
}

/** The encoders HostContext registers, in its order. */
export const VALUE_ENCODERS = Object.freeze([
  ['base64', (v) => base64Shift(v, 0)],
  ['base64Shift1', (v) => base64Shift(v, 1)],
  ['base64Shift2', (v) => base64Shift(v, 2)],
  ['commandLineArgument', (v) => v.replaceAll('"', '\\"')],
  ['expressionString', (v) => v.replaceAll("'", "''")],
  ['jsonString', jsonStringEscape],
  ['uriData', uriDataEscape],
  ['xmlData', xmlDataEscape],
  ['trimDoubleQuotes', trimDoubleQuotes],
  ['powerShellPreAmpersand', powerShellPreAmpersand],
  ['powerShellPostAmpersand', powerShellPostAmpersand],
]);

/** Replaces every registered value (and its encodings) with `***`, like the runner's SecretMasker. */
export class SecretMasker {
  #originals = new Set();
  #values = new Set();

  /**
   * SecretMasker.AddValue: the value as given (not trimmed) plus each non-empty encoding.
   * Splitting into lines is the caller's job (add-mask and secret variables do it).
   */
  addValue(value) {
    if (typeof value !== 'string' || value === '' || this.#originals.has(value)) return;
    this.#originals.add(value);
    this.#values.add(value);
    for (const [, encode] of VALUE_ENCODERS) {
      const encoded = encode(value);
      if (encoded) this.#values.add(encoded);
    }
  }

  /**
   * What `::add-mask::` and the job's secret variables register: the whole value, then each line
   * trimmed (split on \r and \n, empty entries dropped). Blank values register nothing.
   */
  add(value) {
    if (typeof value !== 'string' || value.trim() === '') return;
    this.addValue(value);
    for (const line of value.split(/[\r\n]/)) {
      const t = dotnetTrim(line);
      if (t) this.addValue(t);
    }
  }

  /** Every string that is masked (originals and encodings). */
  get values() {
    return [...this.#values];
  }

  mask(text) {
    if (!text || this.#values.size === 0) return text;
    // Collect every occurrence (overlapping ones too), merge overlaps, replace each merged range once.
    const ranges = [];
    for (const v of this.#values) {
      for (let i = text.indexOf(v); i !== -1; i = text.indexOf(v, i + 1)) ranges.push([i, i + v.length]);
    }
    if (ranges.length === 0) return text;
    ranges.sort((a, b) => a[0] - b[0]);
    let out = '';
    let pos = 0;
    let [start, end] = ranges[0];
    for (let k = 1; k < ranges.length; k++) {
      const [s, e] = ranges[k];
      if (s <= end) {
        end = Math.max(end, e);
        continue;
      }
      out += `${text.slice(pos, start)}***`;
      pos = end;
      [start, end] = [s, e];
    }
    return `${out}${text.slice(pos, start)}***${text.slice(end)}`;
  }
}

// .NET char.IsWhiteSpace (JS \s differs: it has U+FEFF and lacks U+0085).
export const DOTNET_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const TRIM = new RegExp(`^[${DOTNET_SPACE}]+|[${DOTNET_SPACE}]+$`, 'g');
export function dotnetTrim(s) {
  return s.replace(TRIM, '');
}

/**
 * Text from the service, the token endpoint or the ID token is hostile input: one of these
 * functions runs on every such value before it is printed, annotated, output or rendered.
 */

/**
 * What no sink takes: ANSI escape sequences (CSI colours, OSC titles and hyperlinks, other ESC
 * sequences) and C0/C1 control characters except tab and newline.
 */
const CONTROL_SOURCE =
  '\\u001b(?:\\[[0-?]*[ -/]*[@-~]|\\][^\\u0007\\u001b]*(?:\\u0007|\\u001b\\\\)|[ -/]*[0-~])?' + '|[\\u0000-\\u0008\\u000b-\\u001a\\u001c-\\u001f\\u007f-\\u009f]';
/**
 * Invisible format characters (zero-width, soft hyphen, bidi marks and overrides). They are part
 * of a plain value (an emoji's ZWJ, an RTL mark), so sinks keep them; only secret matching looks
 * past them, so a secret split by one is still found.
 */
const FORMAT_SOURCE = '[\\u00ad\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff]';
const CONTROL = new RegExp(CONTROL_SOURCE, 'g');
const HAS_CONTROL = new RegExp(CONTROL_SOURCE);
/** What a reader never sees but a matcher would: controls and format characters. Secret redaction looks past them. */
export const IGNORABLE = new RegExp(`${CONTROL_SOURCE}|${FORMAT_SOURCE}`, 'g');
const HAS_IGNORABLE = new RegExp(`${CONTROL_SOURCE}|${FORMAT_SOURCE}`);
/** Colour (CSI) sequences: they carry no text, so redaction may keep them to preserve colours. */
export const CSI_SEQUENCE = /^\u001b\[[0-?]*[ -/]*[@-~]$/;

export const hasIgnorable = (text: string): boolean => HAS_IGNORABLE.test(text);
/** Removes ANSI sequences and control characters; keeps tabs, newlines and format characters. */
export const stripControls = (text: string): string => (HAS_CONTROL.test(text) ? text.replace(CONTROL, '') : text);
/** The text a matcher compares: without controls and without format characters. */
export const stripIgnorable = (text: string): string => (HAS_IGNORABLE.test(text) ? text.replace(IGNORABLE, '') : text);

/** Every line break a reader, a browser or the runner (.NET TrimStart, `\r` splitting) honours. */
const LINE_BREAKS = /\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/g;

/** Zero-width space: invisible, so the text still reads the same, and the runner no longer sees `::` or `##[`. */
const ZWSP = '\u200b';

/**
 * One line of untrusted text, safe to print anywhere in a line of the job log or an annotation:
 * no ANSI codes or control characters, line breaks become spaces, and neither command syntax
 * survives. `::` becomes `:<ZWSP>:` and `#[` becomes `#<ZWSP>[` (so `##[` never appears, even
 * when the caller's text before the value ends in `#`); a leading `:`/`[` and a trailing `:`/`#`
 * get a ZWSP too, for the same reason. URNs and IPv6 addresses still read as they are.
 * Longer than `maxLen` characters: cut, ending in `…`.
 */
export function sanitizeLine(value: unknown, maxLen = 300): string {
  let text = stripControls(String(value ?? '').replace(LINE_BREAKS, ' '));
  text = cut(text, maxLen);
  text = text.replace(/:(?=:)/g, `:${ZWSP}`).replace(/#\[/g, `#${ZWSP}[`);
  if (/^[:[]/.test(text)) text = ZWSP + text;
  if (/[:#]$/.test(text)) text += ZWSP;
  return text;
}

/** Cuts to at most `maxLen` UTF-16 units, `…` included, never inside a surrogate pair. */
export function cut(text: string, maxLen: number): string {
  if (text.length <= maxLen) return text;
  let end = Math.max(0, maxLen - 1);
  if (end > 0 && /[\ud800-\udbff]/.test(text[end - 1]!)) end--;
  return `${text.slice(0, end)}…`;
}

/**
 * The URL, normalised, when it is http(s), carries no credentials and is on the expected host
 * (`app.pulumi.com`, `host:port`) or origin (`https://app.pulumi.com`); otherwise undefined.
 * Characters that could end a Markdown link or form a runner command (`[ ] ( ) < > " ' | \``)
 * are percent-encoded, so the result can be printed and linked as it is.
 */
export function safeUrl(url: unknown, expected: string, maxLen = 2_000): string | undefined {
  if (typeof url !== 'string' || url.length > maxLen || /[\s\u0000-\u001f\u007f-\u009f]/.test(url)) return undefined;
  let parsed: URL;
  let want: { origin?: string; host?: string };
  try {
    parsed = new URL(url);
    want = expected.includes('://') ? { origin: new URL(expected).origin } : { host: expected.toLowerCase() };
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  if (parsed.username || parsed.password) return undefined;
  if (want.origin !== undefined && parsed.origin !== want.origin) return undefined;
  if (want.host !== undefined && (want.host.includes(':') ? parsed.host : parsed.hostname) !== want.host) return undefined;
  const rest = parsed.href.slice(parsed.origin.length).replace(/[[\]()<>"'|`\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return parsed.origin + rest;
}

/**
 * Untrusted text for inline Markdown (a table cell, a sentence), one line:
 * - no HTML: `&`, `<`, `>` become entities (so no tag, and no entity of the service's own);
 * - no mention or cross-reference pings: `@` and `#` before a word get a zero-width space
 *   (written as `&#8203;`, as Renovate does), so does `GH-` before a number (GitHub's other
 *   issue reference), and `://` / `www.` lose their autolink;
 * - no table break: `|` becomes `&#124;` (entities are decoded after cells are split);
 * - no code spans or fences: backticks become `&#96;`;
 * - no links, images or emphasis: `[ ] * _ ~ \` are backslash-escaped, and so is a leading
 *   block marker (`-`, `+`, `=`, `1.`).
 * Longer than `maxLen` characters (before escaping): cut, ending in `…`.
 */
export function escapeMarkdown(value: unknown, maxLen = 1_000): string {
  const text = cut(stripControls(String(value ?? '').replace(LINE_BREAKS, ' ')), maxLen);
  // One pass, so no replacement is seen (and mangled) by another.
  return text
    .replace(
      MARKDOWN_SPECIAL,
      (s) => ENTITY[s] ?? (s === '@' || s === '#' ? `${s}&#8203;` : s === '://' ? ':&#8203;//' : s.length > 1 ? `${s.slice(0, -1)}&#8203;${s.slice(-1)}` : `\\${s}`),
    )
    .replace(/^(\s*)([-+=#]|\d+[.)])/, '$1\\$2');
}
const MARKDOWN_SPECIAL = /[&<>|`]|[@#](?=[\p{L}\p{N}_-])|:\/\/|\bwww\.|GH-(?=\d)|[\\[\]*_~$]/giu;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '|': '&#124;', '`': '&#96;' };

/**
 * A name shown as code. Plain names become a backtick code span; a name with a backtick, a `|`
 * (which splits a table cell even inside a code span) or anything invisible becomes
 * `<code>` around the escaped text, which renders the same in any context.
 */
export function codeSpan(value: unknown, maxLen = 300): string {
  const text = String(value ?? '');
  if (text.length <= maxLen && /^[^`|\s\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]+$/u.test(text)) return `\`${text}\``;
  return `<code>${escapeMarkdown(text, maxLen)}</code>`;
}

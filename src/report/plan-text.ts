// Text from engine events is hostile: resource names, types, messages and policy names may hold
// workflow commands, line breaks, Markdown, HTML or @mentions. Everything printed or rendered
// from an event goes through one of these two functions. (To be unified with the shared
// sanitiser in markdown.ts later.)

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b/g;
/** Pulumi's own colour markup in diagnostic messages: `<{%fg 1%}>`, `<{%reset%}>`. */
const PULUMI_COLOR = /<\{%[^%]*%\}>/g;
/** C0/C1 controls, line and paragraph separators, bidi overrides and zero-width marks that could hide text. */
const BREAKS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+/g;
const ZWSP = '\u200b';

function plain(text: unknown): string {
  return String(text ?? '').replace(ANSI, '').replace(PULUMI_COLOR, '').replace(BREAKS, ' ').replace(/ {2,}/g, ' ').trim();
}

function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  // Do not cut a surrogate pair in half.
  let end = max - 1;
  if (/[\ud800-\udbff]/.test(text[end - 1] ?? '')) end--;
  return `${text.slice(0, end)}…`;
}

/**
 * One line that is safe in the job log and in annotation data: no control characters or line
 * separators (the runner splits on `\r` too), and neither `::` nor `##[` survives to start a command.
 */
export function oneLineSafe(text: unknown, max = 1_000): string {
  let out = cap(plain(text), max);
  // Loop: removing one occurrence must not create another.
  for (let i = 0; i < 4 && /::|##\[/.test(out); i++) out = out.replace(/::/g, `:${ZWSP}:`).replace(/##\[/g, `#${ZWSP}#[`);
  return out;
}

/**
 * Inline Markdown text that renders as the same characters and nothing else: every ASCII
 * punctuation mark that Markdown or a GFM table could read is backslash-escaped (so no links,
 * HTML, emphasis, code spans, fences or cell breaks), and `@`/`#` get a zero-width space so
 * GitHub neither mentions anyone nor links an issue.
 */
export function escapeMarkdownText(text: unknown, max = 300): string {
  const line = oneLineSafe(text, max);
  return line
    .replace(/[\\`*_{}[\]()<>#+\-.!|~:&="'$%^]/g, (c) => `\\${c}`)
    .replace(/@/g, `@${ZWSP}`)
    .replace(/\\#(?=\d)/g, `\\#${ZWSP}`);
}

/** A Markdown link to our own console URL; anything but http(s) is refused. */
export function markdownLink(label: string, url: string | undefined): string {
  if (!url || url.length > 300 || !/^https?:\/\/[^\s<>]+$/.test(url)) return escapeMarkdownText(label);
  const safe = url.replace(/[()[\]<>`"'|\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[${escapeMarkdownText(label)}](${safe})`;
}

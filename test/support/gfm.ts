// Reads rendered Markdown as GitHub does (GFM tables, strikethrough, autolinks; HTML kept, as
// GitHub keeps <details>) with markdown-it, and returns its structure: the links, fenced
// blocks, HTML and the text a reader sees, so tests assert what a reviewer gets, not strings.
import MarkdownIt from 'markdown-it';
type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];
import { expect } from 'vitest';

const gfm = new MarkdownIt({ html: true, linkify: true });

export interface Structure {
  links: { href: string; text: string }[];
  images: number;
  fences: { info: string; lines: string[] }[];
  /** Raw HTML blocks and inline HTML. */
  html: string[];
  /** Text outside code (what mentions and references would be found in). */
  text: string[];
  headings: string[];
  tables: number;
  html_rendered: string;
}

export function structure(markdown: string): Structure {
  const tokens = gfm.parse(markdown, {});
  const s: Structure = { links: [], images: 0, fences: [], html: [], text: [], headings: [], tables: 0, html_rendered: gfm.renderer.render(tokens, gfm.options, {}) };
  let inLink = 0;
  const walk = (list: Token[]) => {
    for (let i = 0; i < list.length; i++) {
      const t = list[i]!;
      if (t.type === 'link_close') inLink--;
      if (t.type === 'fence' || t.type === 'code_block') s.fences.push({ info: t.info.trim(), lines: t.content.replace(/\n$/, '').split('\n') });
      else if (t.type === 'html_block' || t.type === 'html_inline') s.html.push(t.content.trim());
      else if (t.type === 'table_open') s.tables++;
      else if (t.type === 'image') s.images++;
      else if (t.type === 'heading_open') s.headings.push((list[i + 1]!.children ?? []).map((c) => c.content).join(''));
      else if (t.type === 'link_open') {
        let text = '';
        for (let j = i + 1; j < list.length && list[j]!.type !== 'link_close'; j++) text += list[j]!.content;
        s.links.push({ href: String(t.attrGet('href') ?? ''), text });
        inLink++;
        // Text inside a link is not searched for references (GitHub links none there).
      } else if (t.type === 'text' && !inLink) s.text.push(t.content);
      if (t.children) walk(t.children);
    }
  };
  walk(tokens);
  return s;
}

/** Invisible characters that make a URL look right but not work (or copy broken). */
export const INVISIBLE = /[\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
/** The only HTML the report writes itself. */
const OUR_HTML = /^(<details>|<\/details>|<details><summary>[^<]*<\/summary>|<summary>[^<]*<\/summary>|<code>|<\/code>|<!-- pulumi-cloud-deploy-action stack=[^<>]* -->)$/;

/**
 * What every rendered report holds to: links are real (parse as URLs, http(s), on `origin`, no
 * invisible character), no image, no HTML but ours, no mention or issue reference in the text.
 */
export function expectSound(markdown: string, origin: string): Structure {
  const s = structure(markdown);
  for (const { href } of s.links) {
    expect(href, href).not.toMatch(INVISIBLE);
    const url = new URL(href);
    expect(['http:', 'https:']).toContain(url.protocol);
    expect(url.origin, href).toBe(origin);
  }
  expect(s.images).toBe(0);
  for (const h of s.html) expect(h, h).toMatch(OUR_HTML);
  for (const t of s.text) {
    // GitHub links @user and #123 in text (not in code); the escapes put a zero-width space in between.
    expect(t, t).not.toMatch(/(^|[^\w`])@[A-Za-z0-9]/);
    expect(t, t).not.toMatch(/(^|\W)#\d/);
    expect(t, t).not.toMatch(/\bGH-\d/i);
  }
  return s;
}

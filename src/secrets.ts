/** Every secret this process knows, so text it writes itself (summary, comment) can be redacted too. */
export class SecretRegistry {
  private readonly values = new Set<string>();
  /** Longest first, so a secret's parts do not leave pieces of it behind. */
  private ordered: string[] = [];

  constructor(private readonly mask: (value: string) => void) {}

  /** Masks the value, and each of its lines: the runner matches masks line by line. */
  add(value: string | undefined): void {
    if (!value || this.values.has(value)) return;
    for (const part of [value, ...value.split(/\r?\n/).map((line) => line.trim())]) {
      if (part.length < 2 || this.values.has(part)) continue;
      this.values.add(part);
      this.mask(part);
    }
    this.ordered = [...this.values].sort((a, b) => b.length - a.length);
  }

  /** Replaces every known secret in `text` with `***`. */
  redact(text: string): string {
    let out = text;
    for (const value of this.ordered) {
      if (out.includes(value)) out = out.split(value).join('***');
    }
    return out;
  }
}

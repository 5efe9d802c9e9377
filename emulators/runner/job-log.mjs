// The job log as GitHub shows it: workflow commands parsed from the action's
// stdout/stderr, secrets masked, groups and annotations rendered.
// Mirrors actions/runner ActionCommandManager + SecretMasker behaviour.

const COMMANDS = new Set([
  'add-mask', 'group', 'endgroup', 'debug', 'error', 'warning', 'notice',
  'set-output', 'save-state', 'set-env', 'add-path', 'add-matcher', 'remove-matcher',
  'echo', 'stop-commands',
]);
// Commands the runner never echoes, even with ::echo::on.
const OMIT_ECHO = new Set(['add-mask', 'debug', 'error', 'warning', 'notice']);
const ISSUE_LABEL = { error: 'Error', warning: 'Warning', notice: 'Notice' };

/** Replaces every registered secret with `***`, like the runner's SecretMasker. */
export class SecretMasker {
  #values = new Set();

  /** Registers a value, each of its lines, and the encodings the runner also masks. */
  add(value) {
    if (typeof value !== 'string' || value.trim() === '') return;
    const candidates = [value, ...value.split(/[\r\n]+/)];
    for (const v of candidates) {
      if (v.trim() === '') continue;
      this.#values.add(v);
      // The runner's value encoders: JSON string escape and URI data escape.
      const json = JSON.stringify(v).slice(1, -1);
      if (json !== v) this.#values.add(json);
      const uri = encodeURIComponent(v);
      if (uri !== v) this.#values.add(uri);
    }
  }

  get values() {
    return [...this.#values];
  }

  mask(text) {
    if (!text || this.#values.size === 0) return text;
    // Collect every occurrence, merge overlaps, then replace each merged range once.
    const ranges = [];
    for (const v of this.#values) {
      let i = text.indexOf(v);
      while (i !== -1) {
        ranges.push([i, i + v.length]);
        i = text.indexOf(v, i + 1);
      }
    }
    if (ranges.length === 0) return text;
    ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    let out = '';
    let pos = 0;
    let [start, end] = ranges[0];
    for (const [s, e] of ranges.slice(1)) {
      if (s <= end) { end = Math.max(end, e); continue; }
      out += text.slice(pos, start) + '***';
      pos = end;
      [start, end] = [s, e];
    }
    return out + text.slice(pos, start) + '***' + text.slice(end);
  }
}

function unescapeData(s) {
  return s.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}
function unescapeProperty(s) {
  return s.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%3A/gi, ':')
    .replace(/%2C/gi, ',').replace(/%25/g, '%');
}

/**
 * Parses `::name k=v,k=v::data` (leading whitespace allowed, as the runner trims it).
 * Returns null when the line is not a command for one of `registered`.
 */
export function parseCommand(line, registered = COMMANDS) {
  const msg = line.trimStart();
  if (!msg.startsWith('::')) return null;
  const end = msg.indexOf('::', 2);
  if (end < 0) return null;
  const info = msg.slice(2, end);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (![...registered].some((r) => r.toLowerCase() === name.toLowerCase())) return null;
  const properties = {};
  if (space >= 0) {
    for (const pair of info.slice(space + 1).split(',')) {
      const eq = pair.indexOf('=');
      if (eq > 0) properties[pair.slice(0, eq).trim()] = unescapeProperty(pair.slice(eq + 1));
    }
  }
  return { name: name.toLowerCase(), rawName: name, properties, data: unescapeData(msg.slice(end + 2)) };
}

/**
 * Accumulates the job log. One instance per job (masks persist from main to post);
 * per-step command state (stop-commands, echo, open group) resets in beginStep().
 */
export class JobLog {
  constructor({ masker = new SecretMasker(), debug = false, onLine } = {}) {
    this.masker = masker;
    this.debug = debug;
    this.onLine = onLine;
    /** @type {{step: string, kind: string, text: string, group: string|null, stream: string, line: string}[]} */
    this.entries = [];
    this.annotations = [];
    /** Values registered with ::add-mask:: (in order). */
    this.masks = [];
    this.#resetStep('main');
  }

  #resetStep(step) {
    this.step = step;
    this.group = null;
    this.stopToken = null;
    this.echo = false;
    // Per-step side effects of deprecated ::set-output:: / ::save-state:: commands.
    this.commandOutputs = {};
    this.commandState = {};
    this.commandFailed = false;
  }

  beginStep(step, title) {
    this.#resetStep(step);
    this.#push('step', title, 'runner');
  }

  endStep() {
    this.group = null;
  }

  #push(kind, text, stream) {
    const masked = this.masker.mask(text);
    let line;
    switch (kind) {
      case 'step': line = `▶ ${masked}`; break;
      case 'group': line = `▸ ${masked}`; break;
      case 'error': case 'warning': case 'notice': line = `${ISSUE_LABEL[kind]}: ${masked}`; break;
      case 'debug': line = `Debug: ${masked}`; break;
      default: line = masked;
    }
    // Lines inside a group are indented under its `▸ title` header.
    if (this.group !== null && kind !== 'group' && kind !== 'step') line = `  ${line}`;
    const entry = { step: this.step, kind, text: masked, group: kind === 'group' ? null : this.group, stream, line };
    this.entries.push(entry);
    this.onLine?.(line, entry);
  }

  /** Runner-originated messages (not from the action's output). */
  info(text) { this.#push('line', text, 'runner'); }
  issue(level, message, properties = {}, stream = 'runner') {
    this.annotations.push({ step: this.step, level, message: this.masker.mask(message), properties });
    const [first, ...rest] = message.split(/\r?\n/);
    this.#push(level, first, stream);
    for (const l of rest) this.#push('line', l, stream);
  }

  /** Feeds one line the action wrote to stdout or stderr. */
  processLine(raw, stream = 'stdout') {
    const cmd = parseCommand(raw, this.stopToken ? new Set([this.stopToken]) : COMMANDS);
    if (this.stopToken) {
      if (cmd && cmd.rawName.toLowerCase() === this.stopToken.toLowerCase()) {
        this.stopToken = null;
      }
      this.#push('line', raw, stream); // while stopped, everything (and the resume line) is plain output
      return;
    }
    if (!cmd) { this.#push('line', raw, stream); return; }
    if (this.echo && !OMIT_ECHO.has(cmd.name)) this.#push('line', raw, stream);
    this.#runCommand(cmd, raw, stream);
  }

  #runCommand(cmd, raw, stream) {
    const { name, data, properties } = cmd;
    switch (name) {
      case 'stop-commands':
        if (!this.echo) this.#push('line', raw, stream);
        if (data) this.stopToken = data;
        return;
      case 'add-mask':
        if (data.trim() === '') {
          this.issue('warning', "Can't add secret mask for empty string in ##[add-mask] command.");
          return;
        }
        if (this.echo) this.#push('line', '::add-mask::***', stream);
        this.masker.add(data);
        this.masks.push(data);
        return;
      case 'group':
        this.group = null;
        this.#push('group', data, stream);
        this.group = data;
        return;
      case 'endgroup':
        this.group = null;
        return;
      case 'debug':
        if (this.debug) this.#push('debug', data, stream);
        return;
      case 'error': case 'warning': case 'notice':
        this.issue(name, data, properties, stream);
        return;
      case 'set-output': case 'save-state': {
        const key = properties.name;
        if (!key) {
          this.#commandError(raw, `Required field 'name' is missing in ##[${name}] command.`);
          return;
        }
        (name === 'set-output' ? this.commandOutputs : this.commandState)[key] = data;
        this.issue('warning', `The \`${name}\` command is deprecated and will be disabled soon. Please upgrade to using Environment Files. For more information see: https://github.blog/changelog/2022-10-11-github-actions-deprecating-save-state-and-set-output-commands/`);
        return;
      }
      case 'set-env': case 'add-path':
        this.#commandError(raw, `The \`${name}\` command is disabled. Please upgrade to using Environment Files or opt into unsecure command execution by setting the \`ACTIONS_ALLOW_UNSECURE_COMMANDS\` environment variable to \`true\`.`);
        return;
      case 'echo': {
        const v = data.trim().toUpperCase();
        if (v === 'ON' || v === 'OFF') this.echo = v === 'ON';
        else this.#commandError(raw, `Invalid echo command value. Possible values can be: 'on', 'off'. Current value is: '${data}'.`);
        return;
      }
      default: // add-matcher / remove-matcher: accepted, no effect here
    }
  }

  #commandError(raw, detail) {
    this.issue('error', `Unable to process command '${raw}' successfully.`);
    this.issue('error', detail);
    this.commandFailed = true;
  }

  toString() {
    return this.entries.map((e) => e.line).join('\n') + (this.entries.length ? '\n' : '');
  }
}

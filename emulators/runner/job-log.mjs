// The job log as GitHub shows it: workflow commands parsed from the action's stdout/stderr,
// secrets masked, groups and annotations rendered. Reimplements actions/runner
// src/Runner.Worker/ActionCommandManager.cs (TryProcessCommand and the command extensions) and
// Handlers/OutputManager.cs (OnDataReceived); parsing is in action-command.mjs, masking in
// secret-masker.mjs, line splitting in step-process.mjs.
import { parseCommand, REGISTERED_COMMANDS } from './action-command.mjs';
import { SecretMasker } from './secret-masker.mjs';

export { SecretMasker } from './secret-masker.mjs';
export { parseCommand, parseLegacy, parseV2, REGISTERED_COMMANDS } from './action-command.mjs';

// Extensions with OmitEcho: never echoed, even with ::echo::on.
const OMIT_ECHO = new Set(['add-mask', 'debug', 'error', 'warning', 'notice']);
const ISSUE_LABEL = { error: 'Error', warning: 'Warning', notice: 'Notice' };
// Constants.Runner.UnsupportedStopCommandTokenDisabled.
export const BAD_STOP_TOKEN_MESSAGE =
  "You cannot use a endToken that is an empty string, the string 'pause-logging', or another workflow command. For more information see: https://docs.github.com/actions/learn-github-actions/workflow-commands-for-github-actions#example-stopping-and-starting-workflow-commands or opt into insecure command execution by setting the `ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS` environment variable to `true`.";
const DEPRECATED_OUTPUT_COMMAND = (name) =>
  `The \`${name}\` command is deprecated and will be disabled soon. Please upgrade to using Environment Files. For more information see: https://github.blog/changelog/2022-10-11-github-actions-deprecating-save-state-and-set-output-commands/`;
const UNSECURE_COMMAND = (name) =>
  `The \`${name}\` command is disabled. Please upgrade to using Environment Files or opt into unsecure command execution by setting the \`ACTIONS_ALLOW_UNSECURE_COMMANDS\` environment variable to \`true\`.`;

/**
 * Accumulates the job log. One instance per job (masks persist from main to post); the command
 * state (stop-commands, echo) is per step, as the runner makes one ActionCommandManager per step.
 */
export class JobLog {
  /**
   * @param {object} [o]
   * @param {SecretMasker} [o.masker]
   * @param {boolean} [o.debug] ACTIONS_STEP_DEBUG: shows ::debug:: and turns echo on by default
   * @param {boolean} [o.allowUnsecureStopTokens] ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS
   * @param {(line: string, entry: object) => void} [o.onLine]
   */
  constructor({ masker = new SecretMasker(), debug = false, allowUnsecureStopTokens = false, onLine } = {}) {
    this.masker = masker;
    this.debug = debug;
    this.allowUnsecureStopTokens = allowUnsecureStopTokens;
    this.onLine = onLine;
    /** @type {{step: string, kind: string, text: string, group: string|null, stream: string, line: string}[]} */
    this.entries = [];
    this.annotations = [];
    /** Values registered with add-mask (in order). */
    this.masks = [];
    this.#resetStep('main');
  }

  #resetStep(step) {
    this.step = step;
    this.group = null;
    this.stopToken = null;
    // ExecutionContext: EchoOnActionCommand starts as Step_Debug.
    this.echo = this.debug;
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
      case 'step':
        line = `▶ ${masked}`;
        break;
      case 'group':
        line = `▸ ${masked}`;
        break;
      case 'error':
      case 'warning':
      case 'notice':
        line = `${ISSUE_LABEL[kind]}: ${masked}`;
        break;
      case 'debug':
        line = `Debug: ${masked}`;
        break;
      default:
        line = masked;
    }
    // Lines inside a group are indented under its `▸ title` header.
    if (this.group !== null && kind !== 'group' && kind !== 'step') line = `  ${line}`;
    const entry = { step: this.step, kind, text: masked, group: kind === 'group' ? null : this.group, stream, line };
    this.entries.push(entry);
    this.onLine?.(line, entry);
  }

  /** Runner-originated messages (not from the action's output). */
  info(text) {
    this.#push('line', text, 'runner');
  }
  issue(level, message, properties = {}, stream = 'runner') {
    this.annotations.push({ step: this.step, level, message: this.masker.mask(message), properties });
    const [first, ...rest] = message.split(/\r?\n/);
    this.#push(level, first, stream);
    for (const l of rest) this.#push('line', l, stream);
  }

  /** OutputManager.OnDataReceived: one line the action wrote to stdout or stderr. */
  processLine(raw, stream = 'stdout') {
    if (raw && (raw.includes('##[') || raw.includes('::')) && this.#tryCommand(raw, stream)) return;
    // The runner defuses its own step markers in user output.
    const line = raw.replaceAll('##[start-action', '##[\\start-action').replaceAll('##[end-action', '##[\\end-action');
    this.#push('line', line, stream);
  }

  /** ActionCommandManager.TryProcessCommand: true when the line was consumed as a command. */
  #tryCommand(raw, stream) {
    const registered = this.stopToken === null ? REGISTERED_COMMANDS : [...REGISTERED_COMMANDS, this.stopToken];
    const cmd = parseCommand(raw, registered);
    if (!cmd) return false;
    if (this.stopToken !== null) {
      // Stopped: only the token (either syntax, any case) resumes; everything else is plain output.
      if (cmd.name !== this.stopToken.toLowerCase()) return false;
      this.#push('line', raw, stream);
      this.stopToken = null;
      return true;
    }
    if (cmd.name === 'stop-commands') {
      const token = cmd.data;
      const invalid = token === '' || token.toLowerCase() === 'pause-logging' || REGISTERED_COMMANDS.includes(token.toLowerCase());
      if (invalid && !this.allowUnsecureStopTokens) {
        // ValidateStopToken throws outside the command's try/catch: the step fails.
        this.issue('error', BAD_STOP_TOKEN_MESSAGE);
        this.commandFailed = true;
        return true;
      }
      this.stopToken = token;
      // The runner masks tokens longer than 6 characters, so the stop and resume lines show ***.
      if (token.length > 6) this.masker.addValue(token);
      this.#push('line', raw, stream);
      return true;
    }
    if (this.echo && !OMIT_ECHO.has(cmd.name)) this.#push('line', raw, stream);
    this.#runCommand(cmd, raw, stream);
    return true;
  }

  #runCommand(cmd, raw, stream) {
    const { name, data, properties } = cmd;
    const prop = (key) => {
      const k = Object.keys(properties).find((p) => p.toLowerCase() === key.toLowerCase());
      return k === undefined ? undefined : properties[k];
    };
    switch (name) {
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
      case 'error':
      case 'warning':
      case 'notice':
        this.issue(name, data, properties, stream);
        return;
      case 'set-output':
      case 'save-state': {
        this.issue('warning', DEPRECATED_OUTPUT_COMMAND(name));
        const key = prop('name');
        if (!key) {
          this.#commandError(raw, `Required field 'name' is missing in ##[${name}] command.`);
          return;
        }
        (name === 'set-output' ? this.commandOutputs : this.commandState)[key] = data;
        return;
      }
      case 'set-env':
      case 'add-path':
        this.#commandError(raw, UNSECURE_COMMAND(name));
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

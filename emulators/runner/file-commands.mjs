// File commands (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE, GITHUB_PATH,
// GITHUB_STEP_SUMMARY): one fresh set of files per step, parsed after the step
// exits, with the runner's rules (actions/runner FileCommandManager).
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const FILE_COMMANDS = {
  output: { env: 'GITHUB_OUTPUT', prefix: 'set_output_' },
  env: { env: 'GITHUB_ENV', prefix: 'set_env_' },
  state: { env: 'GITHUB_STATE', prefix: 'save_state_' },
  path: { env: 'GITHUB_PATH', prefix: 'add_path_' },
  summary: { env: 'GITHUB_STEP_SUMMARY', prefix: 'step_summary_' },
};

// The runner refuses step summaries above 1 MiB.
export const STEP_SUMMARY_LIMIT = 1024 * 1024;

/** Creates empty files for one step; returns { files: {kind: path}, env: {GITHUB_*: path} }. */
export function createFileCommandFiles(dir) {
  mkdirSync(dir, { recursive: true });
  const files = {};
  const env = {};
  for (const [kind, { env: name, prefix }] of Object.entries(FILE_COMMANDS)) {
    const path = join(dir, `${prefix}${randomUUID()}`);
    writeFileSync(path, '');
    files[kind] = path;
    env[name] = path;
  }
  return { files, env };
}

// Reads one line; reports which newline ended it (null at EOF without one).
function readLine(text, state) {
  if (state.index >= text.length) return null;
  const nl = text.indexOf('\n', state.index);
  if (nl < 0) {
    const line = text.slice(state.index);
    state.index = text.length;
    state.newline = null;
    return line;
  }
  const crlf = nl > state.index && text[nl - 1] === '\r';
  const line = text.slice(state.index, crlf ? nl - 1 : nl);
  state.newline = crlf ? '\r\n' : '\n';
  state.index = nl + 1;
  return line;
}

/**
 * Parses `name=value` lines and `name<<DELIMITER` heredocs. Throws with the
 * runner's messages on malformed content (the runner then fails the step).
 * Later keys win. Fills `result` as it goes, so a caller keeps what came
 * before an error (the runner has applied those entries too).
 */
export function parseKeyValueFile(text, result = {}) {
  const state = { index: 0, newline: null };
  let line = readLine(text, state);
  while (line !== null) {
    if (line !== '') {
      const eq = line.indexOf('=');
      const heredoc = line.indexOf('<<');
      let key;
      let value;
      if (eq >= 0 && (heredoc < 0 || eq < heredoc)) {
        key = line.slice(0, eq);
        value = line.slice(eq + 1);
        if (key === '') throw new Error(`Invalid format '${line}'. Name must not be empty`);
      } else if (heredoc >= 0 && (eq < 0 || heredoc < eq)) {
        key = line.slice(0, heredoc);
        const delimiter = line.slice(heredoc + 2);
        if (key === '' || delimiter === '') {
          throw new Error(`Invalid format '${line}'. Name must not be empty and delimiter must not be empty`);
        }
        const start = state.index;
        let end = state.index;
        let tmp = readLine(text, state);
        while (tmp !== delimiter) {
          if (tmp === null) throw new Error(`Invalid value. Matching delimiter not found '${delimiter}'`);
          if (state.newline === null) throw new Error('Invalid value. EOF marker missing new line.');
          end = state.index - state.newline.length;
          tmp = readLine(text, state);
        }
        value = end > start ? text.slice(start, end) : '';
      } else {
        throw new Error(`Invalid format '${line}'`);
      }
      result[key] = value;
    }
    line = readLine(text, state);
  }
  return result;
}

export function parsePathFile(text) {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/**
 * Reads and parses one step's files. Errors are returned (not thrown) so the
 * caller can log them the way the runner does and keep going.
 */
export function readFileCommands(files) {
  const raw = {};
  for (const [kind, path] of Object.entries(files)) {
    try {
      raw[kind] = readFileSync(path, 'utf8');
    } catch {
      raw[kind] = '';
    }
  }
  const errors = [];
  const warnings = [];
  const parse = (kind) => {
    const result = {};
    try {
      parseKeyValueFile(raw[kind], result);
    } catch (err) {
      errors.push({ kind, message: err.message });
    }
    return result;
  };
  const outputs = parse('output');
  const state = parse('state');
  const exportedEnv = parse('env');
  // The runner refuses NODE_OPTIONS from GITHUB_ENV.
  for (const key of Object.keys(exportedEnv)) {
    if (key.toUpperCase() === 'NODE_OPTIONS') {
      delete exportedEnv[key];
      warnings.push(`Can't store NODE_OPTIONS output parameter using '$GITHUB_ENV' command.`);
    }
  }
  const paths = parsePathFile(raw.path);
  const summary = raw.summary;
  const summaryBytes = Buffer.byteLength(summary, 'utf8');
  if (summaryBytes > STEP_SUMMARY_LIMIT) {
    errors.push({
      kind: 'summary',
      message: `$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of ${STEP_SUMMARY_LIMIT / 1024}k, got ${Math.ceil(summaryBytes / 1024)}k.`,
    });
  }
  return { raw, outputs, state, exportedEnv, paths, summary, summaryTooLarge: summaryBytes > STEP_SUMMARY_LIMIT, errors, warnings };
}

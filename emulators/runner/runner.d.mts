// Types for runner.mjs (the emulators are plain JS; tests import them from TypeScript).

export interface RunActionOptions {
  /** Folder with action.yml and the bundle (default: the repo root). */
  actionDir?: string;
  /** Merged over action.yml defaults and passed as INPUT_<NAME>. Non-strings are stringified; undefined/null = not given. */
  inputs?: Record<string, string | number | boolean | undefined | null>;
  /** Extra env, applied last (overrides everything the emulator sets). */
  env?: Record<string, string | undefined>;
  /** Written to GITHUB_EVENT_PATH. Without payload/path a plausible push/pull_request payload is made up. */
  event?: { name?: string; payload?: unknown; path?: string };
  /** Start the runner's cancellation (SIGINT, grace, SIGTERM, grace, SIGKILL) this long after main starts. */
  cancelAfterMs?: number;
  /** Start cancellation the first time this returns true (checked after every stdout chunk of main). */
  cancelWhen?: (stdoutSoFar: string) => boolean;
  /** Grace periods after SIGINT and after SIGTERM. Default { sigint: 7500, sigterm: 2500 }. */
  cancelGraceMs?: { sigint?: number; sigterm?: number } | [number, number];
  /** Run runs.post after main (subject to post-if). Default true. */
  runPost?: boolean;
  /** Node binary for the action processes. Default process.execPath. */
  node?: string;
  /** Safety net per step: SIGKILL after this many ms and report timedOut. */
  timeoutMs?: number;
  /** Every stdout line of main and post as it arrives; `at` = ms since that process was spawned. */
  onStdoutLine?: (line: string, at: number, info: { step: 'main' | 'post'; atEpochMs: number }) => void;
  /** Every rendered (masked) job-log line as it is produced. */
  onJobLogLine?: (line: string, entry: JobLogEntry) => void;
  /** Values masked from the start, like `${{ secrets.X }}` passed to the step. */
  secrets?: string[];
  /** Treat as ACTIONS_STEP_DEBUG=true (also set by env.ACTIONS_STEP_DEBUG). */
  debug?: boolean;
  /** Use this folder as GITHUB_WORKSPACE (cwd of the steps) instead of one inside workDir. */
  workspace?: string;
  /** Parent folder for the temp work dir (default os.tmpdir()). */
  tmpDir?: string;
  /** Label for the step headers in the job log (`Run ./`). */
  uses?: string;
  /** Cancel the post step as the runner cancels any running step: after `afterMs`, or once `when` holds for post's stdout; `graceMs` as cancelGraceMs. */
  cancelPost?: { afterMs?: number; when?: (stdoutSoFar: string) => boolean; graceMs?: { sigint?: number; sigterm?: number } | [number, number] };
  /** Cancel from outside (Ctrl-C): cancel() cancels main; escalate() skips to the next signal of the running step. */
  canceller?: Canceller;
  /** Start steps in their own process group (a terminal's Ctrl-C then reaches only the caller). */
  detached?: boolean;
}

export interface Canceller {
  readonly requested: boolean;
  cancel(): void;
  escalate(): void;
  subscribe(fn: (event: 'cancel' | 'escalate') => void): () => void;
}

export interface StdoutLine {
  text: string;
  /** ms since the process was spawned (performance.now based) */
  at: number;
  /** Date.now() when the line was received */
  atEpochMs: number;
}

export interface StepResult {
  started: boolean;
  spawnError: Error | null;
  pid: number | undefined;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  startedAtEpochMs: number;
  lines: StdoutLine[];
  /** ms since spawn when cancellation started (SIGINT sent), or null */
  cancelledAt: number | null;
  cancelReason: 'cancelAfterMs' | 'cancelWhen' | 'canceller' | null;
  /** every signal sent, ms since spawn */
  signals: { signal: NodeJS.Signals; at: number }[];
  /** ms since spawn when the process exited */
  exitedAt: number | null;
  timedOut: boolean;
  /** The exact env the process got. */
  env: Record<string, string>;
  /** Paths of this step's file-command files, by kind. */
  files: Record<'output' | 'env' | 'state' | 'path' | 'summary', string>;
  fileContents: Record<'output' | 'env' | 'state' | 'path' | 'summary', string>;
  outputs: Record<string, string>;
  state: Record<string, string>;
  exportedEnv: Record<string, string>;
  paths: string[];
  summary: string;
  /** The summary as GitHub shows it (masked; empty if over 1 MiB). */
  summaryShown: string;
  fileCommandErrors: { kind: string; message: string }[];
  /** A workflow command failed (e.g. ::set-env::), which fails the step on the runner. */
  commandFailed: boolean;
}

export interface JobLogEntry {
  step: 'main' | 'post';
  kind: 'step' | 'line' | 'group' | 'error' | 'warning' | 'notice' | 'debug';
  /** masked text without decoration */
  text: string;
  /** title of the enclosing group, or null */
  group: string | null;
  stream: 'stdout' | 'stderr' | 'runner';
  /** the rendered line as it appears in jobLog */
  line: string;
}

export interface Annotation {
  step: 'main' | 'post';
  level: 'error' | 'warning' | 'notice';
  message: string;
  properties: Record<string, string>;
}

export interface RunResult {
  actionDir: string;
  using: string;
  node: string;
  nodeVersion: string | null;
  manifest: {
    file: string;
    name?: string;
    inputs: Record<string, { required: boolean; default: string }>;
    outputs: string[];
    using: string;
    main: string;
    post?: string;
    postIf: string;
  };
  /** Input values as passed (defaults applied). */
  inputs: Record<string, string>;
  /** Value used for `${{ github.token }}` (env.GITHUB_TOKEN or a fake `ghs_emulated...`). */
  githubToken: string;
  event: { name: string; path: string; payload: unknown };
  main: StepResult;
  /** null when post did not run; see postSkipped. */
  post: StepResult | null;
  postSkipped: string | null;
  cancelled: boolean;
  /** main's exit code */
  exitCode: number | null;
  /** main's outputs */
  outputs: Record<string, string>;
  /** GITHUB_ENV exports of main, then post (what later steps would see) */
  exportedEnv: Record<string, string>;
  /** main's GITHUB_STATE, handed to post as STATE_* */
  state: Record<string, string>;
  paths: string[];
  /** raw step summaries, main then post */
  summary: string;
  summaryShown: string;
  /** values registered with ::add-mask:: */
  masks: string[];
  /** Applies the job's masks to any text. */
  mask: (text: string) => string;
  annotations: Annotation[];
  jobLogEntries: JobLogEntry[];
  jobLog: string;
  /** stdout, stderr and every file-command file of main and post, for secret scans */
  allBytesWritten: string;
  workDir: string;
  home: string;
  workspace: string;
  /** Removes workDir. */
  cleanup: () => void;
}

export const REPO_ROOT: string;
export const CANCEL_GRACE_MS: Readonly<{ sigint: number; sigterm: number }>;
export function runAction(options?: RunActionOptions): Promise<RunResult>;
export function inputEnvName(name: string): string;
export function parseKeyValueFile(text: string, into?: Record<string, string>): Record<string, string>;
export interface ParsedCommand {
  name: string;
  rawName: string;
  properties: Record<string, string>;
  data: string;
  syntax: 'v2' | 'legacy';
}
/** ActionCommand.TryParseV2, then TryParse (legacy), against `registered` (default: the runner's commands). */
export function parseCommand(line: string, registered?: readonly string[]): ParsedCommand | null;
export function parseV2(line: string, registered?: readonly string[]): ParsedCommand | null;
export function parseLegacy(line: string, registered?: readonly string[]): ParsedCommand | null;
export function createCanceller(): Canceller;
/** Splits like .NET StreamReader.ReadLine: \r\n, \n and a lone \r end a line. */
export function createLineSplitter(onLine: (line: string) => void): { push(chunk: string): void; end(): void };
/** The step summary as GitHub shows it: each line masked, each followed by \n. */
export function maskSummary(summary: string, masker: SecretMasker): string;
export class SecretMasker {
  /** add-mask: the value, then each trimmed line; blank values are ignored. */
  add(value: string): void;
  /** SecretMasker.AddValue: the value as given plus its encodings. */
  addValue(value: string): void;
  readonly values: string[];
  mask(text: string): string;
}

// Types for job-log.mjs (tests drive the job log directly).
import type { Annotation, JobLogEntry, SecretMasker } from './runner.mjs';

export { SecretMasker, parseCommand, parseLegacy, parseV2 } from './runner.mjs';
export const REGISTERED_COMMANDS: readonly string[];
export const BAD_STOP_TOKEN_MESSAGE: string;

export class JobLog {
  constructor(options?: { masker?: SecretMasker; debug?: boolean; allowUnsecureStopTokens?: boolean; onLine?: (line: string, entry: JobLogEntry) => void });
  masker: SecretMasker;
  entries: JobLogEntry[];
  annotations: Annotation[];
  masks: string[];
  stopToken: string | null;
  echo: boolean;
  commandFailed: boolean;
  commandOutputs: Record<string, string>;
  commandState: Record<string, string>;
  beginStep(step: 'main' | 'post', title: string): void;
  endStep(): void;
  info(text: string): void;
  issue(level: 'error' | 'warning' | 'notice', message: string, properties?: Record<string, string>, stream?: string): void;
  processLine(raw: string, stream?: 'stdout' | 'stderr'): void;
  toString(): string;
}

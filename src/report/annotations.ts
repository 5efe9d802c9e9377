// Diagnostics and policy findings from the engine events as `::error`/`::warning` annotations,
// deduplicated and capped (GitHub shows 10 of each kind per step).
import type { UpdatePlan } from '../domain/outcome.js';
import { sanitizeLine } from '../runner-io/untrusted-text.js';
import type { Reporter, ReporterDeps } from './reporter.js';

export interface Annotation {
  kind: 'error' | 'warning';
  /** Names the resource; safe for an annotation property. */
  title: string;
  /** One line; no workflow command can start in it. */
  message: string;
}

export interface AnnotationOptions {
  /** Pass 9 when the step will also fail with core.setFailed (itself an error annotation). */
  maxErrors?: number;
  maxWarnings?: number;
}

/** Call as `for (const a of annotations) core[a.kind](a.message, { title: a.title })`. */
export function engineAnnotations(plans: UpdatePlan[], options: AnnotationOptions = {}): { annotations: Annotation[]; omitted: number } {
  const max = { error: options.maxErrors ?? 10, warning: options.maxWarnings ?? 10 };
  const counts = { error: 0, warning: 0 };
  const seen = new Set<string>();
  const annotations: Annotation[] = [];
  let omitted = 0;
  const push = (a: Annotation) => {
    const key = `${a.kind}\0${a.title}\0${a.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (counts[a.kind] >= max[a.kind]) {
      omitted++;
      return;
    }
    counts[a.kind]++;
    annotations.push(a);
  };
  // Errors first across all updates, so a flood of warnings never hides one.
  const all = plans.flatMap((p) => [
    ...p.diagnostics.map((d) => ({
      kind: d.severity,
      title: sanitizeLine(`Pulumi ${d.severity}${d.resource ? `: ${d.resource}` : ''}`, 200),
      message: sanitizeLine(d.message, 2_000),
    })),
    ...p.policies.map((f) => ({
      kind: f.severity,
      title: sanitizeLine(`Policy ${f.pack}/${f.policy} (${f.level})${f.resource ? `: ${f.resource}` : ''}`, 200),
      message: sanitizeLine(f.message || `${f.policy} reported a ${f.level} violation`, 2_000),
    })),
  ]);
  for (const a of all) if (a.kind === 'error') push(a);
  for (const a of all) if (a.kind === 'warning') push(a);
  omitted += plans.reduce((n, p) => n + p.omittedDiagnostics + p.omittedPolicies, 0);
  return { annotations, omitted };
}

/** Diagnostics and policy findings as annotations (GitHub shows 10 of each kind; a failing step's own error counts). */
export function annotationsReporter({ log, secrets }: ReporterDeps): Reporter {
  return {
    finished: (results) => {
      for (const { outcome, ok } of results) {
        if (outcome.end !== 'followed' || !outcome.followed.plans) continue;
        const { annotations, omitted } = engineAnnotations(outcome.followed.plans, { maxErrors: ok ? 10 : 9 });
        for (const a of annotations) {
          const message = secrets.redactLogLine(a.message);
          const properties = { title: secrets.redactLogLine(a.title) };
          if (a.kind === 'error') log.error(message, properties);
          else log.warning(message, properties);
        }
        if (omitted > 0) log.info(`${omitted} more diagnostics and policy findings are in the Pulumi console.`);
      }
    },
  };
}

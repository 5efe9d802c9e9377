// Diagnostics and policy findings from the engine events as `::error`/`::warning` annotations,
// deduplicated and capped (GitHub shows 10 of each kind per step), and the failing resource's
// error as one line for the verdict and the failure annotation.
import type { UpdatePlan } from '../domain/outcome.js';
import { sanitizeLine } from '../runner-io/untrusted-text.js';

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

/** "aws:s3:Bucket site-bucket: creating S3 Bucket: BucketAlreadyExists", for the verdict line; one safe line. */
export function failureCause(plans: UpdatePlan[], max = 400): string | undefined {
  const failure = [...plans].reverse().find((p) => p.failure)?.failure;
  if (!failure) return undefined;
  return sanitizeLine(`${failure.resource ? `${failure.resource}: ` : ''}${failure.message}`, max);
}

// With several stacks, the job summary opens with one row per stack; each stack's own report follows.
import { stackLabel } from '../domain/vocabulary.js';
import { codeSpan, escapeMarkdown } from '../runner-io/untrusted-text.js';
import { describeCounts } from './plan.js';
import { resultsOutput } from './outputs.js';
import type { Judged } from './verdict.js';

/** The stacks table: stack, operation, status, changes and the deployment's link, each cell built from allow-listed parts. */
export function renderStacksTable(results: Judged[], operation: string, consoleOrigin: string | undefined): string {
  // No stack outputs in the table: nothing to redact.
  const entries = resultsOutput(results, consoleOrigin, () => undefined);
  const rows = results.map((result) => {
    const label = stackLabel(result.outcome.stack);
    const entry = entries[label]!;
    const changes = result.verdict?.changes && result.verdict.hasChanges !== 'unknown' ? describeCounts(result.verdict.changes, operation === 'preview') : 'unknown';
    const link = entry['deployment-url'] ? `[open](${entry['deployment-url']})` : '';
    return `| ${codeSpan(label)} | ${escapeMarkdown(operation)} | ${entry.status === 'skipped' ? '⏭️' : result.ok ? '✅' : '❌'} ${entry.status} | ${escapeMarkdown(changes)} | ${link} |`;
  });
  return [
    `### Pulumi ${escapeMarkdown(operation)} of ${results.length} stacks`,
    '',
    '| Stack | Operation | Status | Changes | Deployment |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

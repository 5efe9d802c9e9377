// The layering rules of src/ (docs/ARCHITECTURE.md): arrows run one way only. The entries and
// orchestrators call the flow and the reporters; both use login, the client and the runner-side
// helpers; anything may use the domain module. `npm run lint` runs this.
/** @type {import('dependency-cruiser').IConfiguration} */
const layer = (name) => `^src/${name}/`;
const forbid = (name, comment, from, to, extra = {}) => ({ name, comment, severity: 'error', from: { path: from, ...extra.from }, to: { path: to, ...extra.to } });

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'No module may import itself back, however indirectly.', severity: 'error', from: {}, to: { circular: true } },
    forbid('deployment-not-to-report', 'Running returns data: the flow never reports.', layer('deployment'), layer('report')),
    forbid(
      'report-reads-domain-data',
      'Reporters read domain data, never the flow, the client or login.',
      layer('report'),
      `${layer('deployment')}|${layer('cloud')}|${layer('login')}`,
    ),
    forbid(
      'cloud-below-the-flow',
      'The client knows nothing of the flow, the reports, the inputs or login.',
      layer('cloud'),
      `${layer('deployment')}|${layer('report')}|${layer('inputs')}|${layer('login')}`,
    ),
    forbid(
      'inputs-are-pure',
      'Input parsing is pure: no network, no flow, no report, no runner I/O (the sanitiser only, for quoting).',
      layer('inputs'),
      `${layer('cloud')}|${layer('login')}|${layer('deployment')}|${layer('report')}|${layer('runner-io')}`,
      { to: { pathNot: '^src/runner-io/untrusted-text\\.ts$' } },
    ),
    forbid(
      'runner-io-is-a-leaf',
      'The runner-side helpers use only the domain.',
      layer('runner-io'),
      `${layer('cloud')}|${layer('github')}|${layer('inputs')}|${layer('login')}|${layer('deployment')}|${layer('report')}`,
    ),
    forbid(
      'github-below-the-flow',
      'The GitHub client knows nothing of the flow, the reports, the inputs or login (it shares the HTTP rules of cloud/).',
      layer('github'),
      `${layer('deployment')}|${layer('report')}|${layer('inputs')}|${layer('login')}`,
    ),
    forbid('login-below-the-flow', 'Login knows nothing of the flow or the reports.', layer('login'), `${layer('deployment')}|${layer('report')}`),
    forbid('domain-is-the-bottom', 'The domain module uses only itself, the generated types and the sanitiser.', layer('domain'), '^src/', {
      to: { pathNot: `${layer('domain')}|${layer('generated')}|^src/runner-io/untrusted-text\\.ts$` },
    }),
    forbid(
      'sinks-only-from-the-top',
      'Only the entries, the orchestrators (with their network halves), the reporters and the runner-io sinks (log, outputs, state) touch @actions/core (setOutput, setFailed, summary, exportVariable).',
      '^src/',
      '@actions/core',
      { from: { pathNot: '^src/(entries/|(main|post)(-network)?\\.ts$|orchestrator\\.ts$|report/|runner-io/(log|outputs|state)\\.ts$)' } },
    ),
    forbid(
      'outputs-only-from-the-top',
      'Only the entries, the orchestrators (with their network halves) and the reporters set outputs or export variables (runner-io/outputs.ts).',
      '^src/',
      '^src/runner-io/outputs\\.ts$',
      { from: { pathNot: '^src/(entries/|(main|post)(-network)?\\.ts$|orchestrator\\.ts$|report/|runner-io/outputs\\.ts$)' } },
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^src/generated/' },
  },
};

// Deployment scenarios are data: how long a run stays queued, its steps with their log
// lines and timing, its outcome and the stack updates it produced.
//
// Shape:
//   { name, queuedMs = 300, acceptedMs? (default queuedMs / 2), cancelLatencyMs = 500,
//     steps: [{ name, lines: string[] | { count, template: 'line {i}' }, lineIntervalMs = 10,
//               durationMs? (minimum step duration), outcome: 'succeeded' | 'failed' }],
//     outcome: 'succeeded' | 'failed' | 'skipped' (default: failed if a step failed),
//     updates: [{ kind? (default from the request's operation), result?, resourceChanges, resourceCount?, message?,
//                 events? (engine events as data, see events.mjs; default: made from resourceChanges) }] }
// In step names and lines `{op}` becomes the requested operation (update) and `{Verb}` its progressive form (Updating).
// All times are ms, divided by the emulator's timeScale.

const ESC = '\u001b';
const green = (s) => `${ESC}[32m${s}${ESC}[0m`;
const yellow = (s) => `${ESC}[33m${s}${ESC}[0m`;
const red = (s) => `${ESC}[31m${s}${ESC}[0m`;
const bold = (s) => `${ESC}[1m${s}${ESC}[0m`;

const getSource = {
  name: 'Get source',
  lineIntervalMs: 15,
  lines: ["Cloning into '/deployments/source'...", 'Fetching origin', 'HEAD is now at {short} Add bucket', 'Using source at commit {commit}'],
};

const installDependencies = {
  name: 'Install dependencies',
  lineIntervalMs: 15,
  lines: ['Installing dependencies...', 'npm ci --no-audit --no-fund', 'added 142 packages in 3s', 'Finished installing dependencies'],
};

const updateLines = [
  '{Verb} ({org}/{stack})',
  '',
  'View in Browser (Ctrl+O): https://app.pulumi.com/{org}/{project}/{stack}/updates/5',
  '',
  '     Type                 Name         Status',
  ` ${green('+')}   pulumi:pulumi:Stack  {project}-{stack}      ${green('created')}`,
  ` ${green('+')}   ├─ aws:s3:Bucket     site-bucket  ${green('created (2s)')}`,
  ` ${yellow('~')}   └─ aws:iam:Role      site-role    ${yellow('updated (1s)')}`,
  '',
  'Outputs:',
  '    bucketName: "site-bucket-4f2a"',
  '',
  bold('Resources:'),
  `    ${green('+ 2 created')}`,
  `    ${yellow('~ 1 updated')}`,
  '    3 unchanged',
  '',
  'Duration: 5s',
];

export const quickSuccess = {
  name: 'quickSuccess',
  queuedMs: 300,
  steps: [getSource, installDependencies, { name: 'Pulumi {op}', lineIntervalMs: 15, lines: updateLines }],
  outcome: 'succeeded',
  updates: [
    {
      result: 'succeeded',
      resourceChanges: { create: 2, update: 1, same: 3 },
      resourceCount: 6,
      events: {
        resources: [
          { op: 'create', type: 'aws:s3:Bucket', name: 'site-bucket', diffs: ['bucket', 'tags'] },
          { op: 'create', type: 'aws:s3:BucketPolicy', name: 'site-policy' },
          {
            op: 'update',
            type: 'aws:iam:Role',
            name: 'site-role',
            diffs: ['assumeRolePolicy'],
            old: { assumeRolePolicy: '{"Statement":[{"Principal":{"Service":"ec2.amazonaws.com"}}]}' },
            new: { assumeRolePolicy: '{"Statement":[{"Principal":{"Service":"lambda.amazonaws.com"}}]}' },
          },
        ],
        // A secret arrives both ways: the "[secret]" string and Pulumi's secret envelope.
        outputs: {
          bucketName: 'site-bucket-4f2a',
          dbPassword: '[secret]',
          apiKey: { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', ciphertext: 'v1:ZW11bGF0ZWQtY2lwaGVydGV4dA==' },
          endpoints: { web: 'https://site.example', admin: { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', ciphertext: 'v1:YWRtaW4=' } },
        },
      },
    },
  ],
};

export const previewWithChanges = {
  name: 'previewWithChanges',
  queuedMs: 300,
  steps: [
    getSource,
    installDependencies,
    {
      name: 'Pulumi {op}',
      lineIntervalMs: 15,
      lines: [
        'Previewing update ({org}/{stack})',
        '',
        '     Type                 Name         Plan',
        ` ${green('+')}   ├─ aws:s3:Bucket     logs-bucket  ${green('create')}`,
        ` ${yellow('~')}   └─ aws:iam:Role      site-role    ${yellow('update')}`,
        '',
        bold('Resources:'),
        `    ${green('+ 1 to create')}`,
        `    ${yellow('~ 1 to update')}`,
        '    4 unchanged',
      ],
    },
  ],
  outcome: 'succeeded',
  updates: [
    {
      kind: 'preview',
      result: 'succeeded',
      resourceChanges: { create: 1, update: 1, same: 4 },
      resourceCount: 6,
      events: {
        resources: [
          { op: 'create', type: 'aws:s3:Bucket', name: 'logs-bucket', diffs: ['bucket'] },
          {
            op: 'update',
            type: 'aws:iam:Role',
            name: 'site-role',
            diffs: ['tags', 'maxSessionDuration'],
            paths: ['tags.env', 'maxSessionDuration'],
            old: { name: 'site-role', maxSessionDuration: 3600, tags: { env: 'dev', team: 'web' } },
            new: { name: 'site-role', maxSessionDuration: 43200, tags: { env: 'staging', team: 'web' } },
          },
        ],
        diagnostics: [{ severity: 'warning', message: 'aws:iam:Role: maxSessionDuration above 12h is ignored', resource: 'site-role' }],
        policies: [{ pack: 'aws-guard', policy: 's3-no-public-read', level: 'advisory', message: 'Buckets should not allow public reads.', resource: 'logs-bucket' }],
      },
    },
  ],
};

export const previewNoChanges = {
  name: 'previewNoChanges',
  queuedMs: 300,
  steps: [
    getSource,
    installDependencies,
    {
      name: 'Pulumi {op}',
      lineIntervalMs: 15,
      lines: ['Previewing update ({org}/{stack})', '', bold('Resources:'), '    6 unchanged'],
    },
  ],
  outcome: 'succeeded',
  updates: [{ kind: 'preview', result: 'succeeded', resourceChanges: { same: 6 }, resourceCount: 6 }],
};

export const failsInUpdateStep = {
  name: 'failsInUpdateStep',
  queuedMs: 300,
  steps: [
    getSource,
    installDependencies,
    {
      name: 'Pulumi {op}',
      lineIntervalMs: 15,
      outcome: 'failed',
      lines: [
        '{Verb} ({org}/{stack})',
        '',
        '     Type                 Name         Status',
        ` ${green('+')}   pulumi:pulumi:Stack  {project}-{stack}      ${red('created (1s)')}`,
        ` ${green('+')}   └─ aws:s3:Bucket     site-bucket  ${red('creating failed')}`,
        '',
        red('Diagnostics:'),
        '  aws:s3:Bucket (site-bucket):',
        `    ${red('error:')} creating S3 Bucket (site-bucket): BucketAlreadyExists`,
        '',
        bold('Resources:'),
        `    ${green('+ 1 created')}`,
        '',
        'Duration: 3s',
      ],
    },
  ],
  outcome: 'failed',
  updates: [
    {
      result: 'failed',
      resourceChanges: { create: 1 },
      resourceCount: 1,
      events: {
        resources: [{ op: 'create', type: 'aws:s3:Bucket', name: 'site-bucket', diffs: ['bucket'] }],
        diagnostics: [
          { severity: 'error', message: 'creating S3 Bucket (site-bucket): BucketAlreadyExists: The requested bucket name is not available.', resource: 'site-bucket' },
          { severity: 'error', message: 'update failed' },
        ],
        failed: 'site-bucket',
      },
    },
  ],
};

/** Superseded by a fresher deployment while queued: no jobs, no logs, no updates. */
export const skipped = {
  name: 'skipped',
  queuedMs: 300,
  steps: [getSource, installDependencies, { name: 'Pulumi {op}', lines: updateLines }],
  outcome: 'skipped',
  updates: [],
};

/** nLines log lines spread over several steps (with ANSI colours), delivered over about durationMs. */
export function manySteps(nLines = 5000, { durationMs = 3000, steps = 5 } = {}) {
  const names = ['Get source', 'Install dependencies', 'Run pre-run commands', 'Pulumi {op}', 'Export outputs', 'Clean up'];
  const count = Math.max(1, Math.min(steps, names.length, nLines));
  const interval = durationMs / nLines;
  const stepsOut = [];
  let remaining = nLines;
  for (let s = 0; s < count; s++) {
    const n = s === count - 1 ? remaining : Math.floor(nLines / count);
    remaining -= n;
    const lines = [];
    for (let i = 1; i <= n; i++) {
      const id = `${s + 1}.${i}`;
      if (i % 10 === 0) lines.push(` ${green('+')} resource ${id} ${green('created')}`);
      else if (i % 25 === 3) lines.push(` ${yellow('~')} resource ${id} ${yellow('updated')} ${ESC}[2m(1s)${ESC}[0m`);
      else lines.push(`step ${s + 1} line ${i} of ${n}`);
    }
    stepsOut.push({ name: names[s], lineIntervalMs: interval, lines });
  }
  return {
    name: `manySteps(${nLines})`,
    queuedMs: 100,
    steps: stepsOut,
    outcome: 'succeeded',
    updates: [{ result: 'succeeded', resourceChanges: { create: 12, update: 3, same: 40 }, resourceCount: 55 }],
  };
}

/** A Pulumi step that runs for about ms with sparse output (for timeouts and cancellation). */
export function longRunning(ms = 60_000, { lineEveryMs = 1000 } = {}) {
  const count = Math.max(1, Math.floor(ms / lineEveryMs));
  return {
    name: `longRunning(${ms})`,
    queuedMs: 200,
    steps: [
      getSource,
      {
        name: 'Pulumi {op}',
        lineIntervalMs: ms / count,
        durationMs: ms,
        lines: { count, template: ' ~ aws:rds:Instance db updating ({i}s)' },
      },
    ],
    outcome: 'succeeded',
    updates: [{ result: 'succeeded', resourceChanges: { update: 1, same: 5 }, resourceCount: 6 }],
  };
}

/** Stays not-started/accepted for ms without a single log line, then succeeds quickly. */
export function queuedSilently(ms = 10_000) {
  return { ...quickSuccess, name: `queuedSilently(${ms})`, queuedMs: ms };
}

/** A preview that replaces and deletes, with a mandatory policy violation: so it fails, as Pulumi's does. */
export const previewWithReplacements = {
  name: 'previewWithReplacements',
  queuedMs: 300,
  steps: [
    getSource,
    installDependencies,
    {
      name: 'Pulumi {op}',
      lineIntervalMs: 15,
      outcome: 'failed',
      lines: [
        'Previewing update ({org}/{stack})',
        '',
        '     Type                 Name         Plan',
        ` ${yellow('+-')}  ├─ aws:rds:Instance   db           ${yellow('replace')}     [diff: ~engineVersion,instanceClass]`,
        ` ${red('-')}   ├─ aws:sqs:Queue      old-queue    ${red('delete')}`,
        ` ${green('+')}   ├─ aws:s3:Bucket      logs-bucket  ${green('create')}`,
        ` ${yellow('~')}   └─ aws:iam:Role       site-role    ${yellow('update')}      [diff: ~tags]`,
        '',
        red('Policies:'),
        `    ${red('❌ aws-guard@v1.0.0')}`,
        '        - [mandatory]  rds-backup-retention  (aws:rds:Instance: db)',
        '          RDS instances need 7 days of backups.',
        `    ${yellow('⚠️ aws-guard@v1.0.0')}`,
        '        - [advisory]  s3-no-public-read  (aws:s3:Bucket: logs-bucket)',
        '          Buckets should not allow public reads.',
        '',
        bold('Resources:'),
        `    ${green('+ 1 to create')}`,
        `    ${yellow('~ 1 to update')}`,
        `    ${red('- 1 to delete')}`,
        `    ${yellow('+-1 to replace')}`,
        '    4 unchanged',
      ],
    },
  ],
  outcome: 'failed',
  updates: [
    {
      kind: 'preview',
      result: 'failed',
      resourceChanges: { create: 1, update: 1, replace: 1, delete: 1, same: 4 },
      resourceCount: 7,
      events: {
        resources: [
          { op: 'create', type: 'aws:s3:Bucket', name: 'logs-bucket', diffs: ['bucket'] },
          { op: 'update', type: 'aws:iam:Role', name: 'site-role', diffs: ['tags'], paths: ['tags.env'], old: { tags: { env: 'dev' } }, new: { tags: { env: 'staging' } } },
          {
            op: 'replace',
            type: 'aws:rds:Instance',
            name: 'db',
            diffs: ['engineVersion', 'instanceClass'],
            replaceKeys: ['engineVersion'],
            old: { engineVersion: '13.11', instanceClass: 'db.t3.micro' },
            new: { engineVersion: '15.4', instanceClass: 'db.t3.small' },
          },
          { op: 'delete', type: 'aws:sqs:Queue', name: 'old-queue' },
        ],
        diagnostics: [{ severity: 'warning', message: 'engineVersion 13 is deprecated', resource: 'db' }],
        policies: [
          { pack: 'aws-guard', policy: 's3-no-public-read', level: 'advisory', message: 'Buckets should not allow public reads.', resource: 'logs-bucket' },
          { pack: 'aws-guard', policy: 'rds-backup-retention', level: 'mandatory', message: 'RDS instances need 7 days of backups.', resource: 'db' },
        ],
      },
    },
  ],
};

/** A preview of `count` changed resources (made from data, one event each), for the plan's size limits. */
export function manyResources(count = 10_000) {
  return {
    ...previewNoChanges,
    name: `manyResources(${count})`,
    updates: [
      {
        kind: 'preview',
        result: 'succeeded',
        resourceChanges: { create: count, same: 1 },
        resourceCount: count + 1,
        events: { resources: { count, op: 'create', type: 'aws:s3:BucketObject', name: 'object-{i}', diffs: ['key', 'source', 'contentType'] } },
      },
    ],
  };
}

/**
 * A preview whose engine events carry huge strings: `count` events, half resources with a URN of
 * `bytes` characters (the name), half warnings whose message is `bytes` long. Served one event a
 * page (eventPageSize: 1), each page holds one huge string; the report keeps bounded prefixes of
 * them, which must not keep the huge strings alive. The strings are made once and shared.
 */
export function hugeEventStrings(count = 60, bytes = 8 * 1024 * 1024) {
  const filler = 'x'.repeat(bytes);
  const resources = Math.ceil(count / 2);
  return {
    ...previewNoChanges,
    name: `hugeEventStrings(${count}, ${bytes})`,
    updates: [
      {
        kind: 'preview',
        result: 'succeeded',
        resourceChanges: { create: resources, same: 1 },
        resourceCount: resources + 1,
        events: {
          resources: { count: resources, op: 'create', type: 'aws:s3:BucketObject', name: `object-{i}-${filler}` },
          diagnostics: Array.from({ length: count - resources }, (_, i) => ({ severity: 'warning', message: `warning ${i + 1}: ${filler}` })),
        },
      },
    ],
  };
}

/**
 * `scenario` with every log line prefixed by its deployment's `org/project/stack` and its place
 * (`step.line`), so each line of several stacks running the same scenario is unique and names its
 * stack (step names stay as they are).
 */
export function stackTagged(scenario) {
  const tag = (s, i, line) => `{org}/{project}/{stack} ${s + 1}.${i} ${line}`;
  return {
    ...scenario,
    name: `stackTagged(${scenario.name})`,
    steps: scenario.steps.map((step, s) => ({
      ...step,
      lines: Array.isArray(step.lines) ? step.lines.map((line, k) => tag(s, k + 1, line)) : { ...step.lines, template: tag(s, '{i}', step.lines.template ?? 'line {i}') },
    })),
  };
}

export const scenarios = {
  quickSuccess,
  previewWithChanges,
  previewNoChanges,
  failsInUpdateStep,
  skipped,
  manySteps,
  longRunning,
  queuedSilently,
  manyResources,
  previewWithReplacements,
  hugeEventStrings,
};

/** 'quickSuccess' or 'manySteps:5000' (arguments after ':' are numbers) -> scenario. */
export function scenarioByName(spec) {
  const [name, ...args] = String(spec).split(':');
  const found = scenarios[name];
  if (!found) throw new Error(`unknown scenario '${name}' (known: ${Object.keys(scenarios).join(', ')})`);
  return typeof found === 'function' ? found(...args.map(Number)) : found;
}

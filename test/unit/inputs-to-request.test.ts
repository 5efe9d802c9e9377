import { describe, expect, it } from 'vitest';
import { parseInputs } from '../../src/inputs/parse.js';
import { buildDeploymentRequest, redactRequest } from '../../src/deployment/request.js';
import type { GitHubContext } from '../../src/runner-io/github-context.js';

const context: GitHubContext = {
  serverUrl: 'https://github.com',
  apiUrl: 'https://api.github.com',
  repository: 'acme/infra',
  sha: '1111111111111111111111111111111111111111',
  ref: 'refs/heads/main',
  eventName: 'push',
  runId: '1',
  runAttempt: '1',
  fromFork: false,
};
const prContext: GitHubContext = { ...context, eventName: 'pull_request', sha: 'f'.repeat(40), pullRequestHeadSha: 'a'.repeat(40), pullRequestNumber: 7 };

const base = { organization: 'acme', stack: 'app/dev', operation: 'update' };
const bodyFor = (inputs: Record<string, string>, ctx = context) => {
  const config = parseInputs((name) => ({ ...base, ...inputs })[name] ?? '');
  return buildDeploymentRequest(config.deployment!, ctx);
};
const defaultSource = { sourceContext: { git: { repoUrl: 'https://github.com/acme/infra.git', commit: context.sha } } };

// Each row: the inputs set (over organization/stack/operation) and the exact body expected.
const table: [string, Record<string, string>, unknown][] = [
  ['defaults: own repo at the triggering commit', {}, { operation: 'update', ...defaultSource }],
  ['operation preview', { operation: 'preview' }, { operation: 'preview', ...defaultSource }],
  ['operation refresh', { operation: 'refresh' }, { operation: 'refresh', ...defaultSource }],
  ['operation destroy', { operation: 'destroy' }, { operation: 'destroy', ...defaultSource }],
  ['operation detect-drift', { operation: 'detect-drift' }, { operation: 'detect-drift', ...defaultSource }],
  ['operation remediate-drift', { operation: 'remediate-drift' }, { operation: 'remediate-drift', ...defaultSource }],
  ['org/project/stack form', { stack: 'acme/app/dev' }, { operation: 'update', ...defaultSource }],
  ['inherit-settings false', { 'inherit-settings': 'false' }, { operation: 'update', inheritSettings: false, ...defaultSource }],
  ['inherit-settings TRUE is the default (omitted)', { 'inherit-settings': 'TRUE' }, { operation: 'update', ...defaultSource }],
  ['branch replaces the default commit', { branch: 'main' }, { operation: 'update', sourceContext: { git: { repoUrl: 'https://github.com/acme/infra.git', branch: 'main' } } }],
  ['commit', { commit: 'abcdef1' }, { operation: 'update', sourceContext: { git: { repoUrl: 'https://github.com/acme/infra.git', commit: 'abcdef1' } } }],
  ['repo-dir', { 'repo-dir': 'infra/app' }, { operation: 'update', sourceContext: { git: { ...defaultSource.sourceContext.git, repoDir: 'infra/app' } } }],
  [
    'another repo: no commit of ours',
    { 'repo-url': 'https://github.com/acme/other.git' },
    { operation: 'update', sourceContext: { git: { repoUrl: 'https://github.com/acme/other.git' } } },
  ],
  [
    'same repo URL without .git keeps the commit',
    { 'repo-url': 'https://github.com/acme/infra' },
    { operation: 'update', sourceContext: { git: { repoUrl: 'https://github.com/acme/infra', commit: context.sha } } },
  ],
  ['use-stack-source sends no source', { 'use-stack-source': 'true' }, { operation: 'update' }],
  [
    'git-auth-token',
    { 'git-auth-token': 'ghp_x' },
    { operation: 'update', sourceContext: { git: { ...defaultSource.sourceContext.git, gitAuth: { accessToken: { secret: 'ghp_x' } } } } },
  ],
  [
    'git ssh key',
    { 'git-ssh-private-key': 'KEY' },
    { operation: 'update', sourceContext: { git: { ...defaultSource.sourceContext.git, gitAuth: { sshAuth: { sshPrivateKey: { secret: 'KEY' } } } } } },
  ],
  [
    'git ssh key with password',
    { 'git-ssh-private-key': 'KEY', 'git-ssh-password': 'pw' },
    { operation: 'update', sourceContext: { git: { ...defaultSource.sourceContext.git, gitAuth: { sshAuth: { sshPrivateKey: { secret: 'KEY' }, password: { secret: 'pw' } } } } } },
  ],
  [
    'git basic auth',
    { 'git-username': 'bot', 'git-password': 'pw' },
    { operation: 'update', sourceContext: { git: { ...defaultSource.sourceContext.git, gitAuth: { basicAuth: { userName: { secret: 'bot' }, password: { secret: 'pw' } } } } } },
  ],
  [
    'pre-run-commands, one per line',
    { 'pre-run-commands': 'npm ci\n\n  make build  \n' },
    { operation: 'update', ...defaultSource, operationContext: { preRunCommands: ['npm ci', 'make build'] } },
  ],
  [
    'env and secret-env',
    { env: 'A=1\nB=x=y', 'secret-env': 'TOKEN=s3cr3t' },
    { operation: 'update', ...defaultSource, operationContext: { environmentVariables: { A: '1', B: 'x=y', TOKEN: { secret: 's3cr3t' } } } },
  ],
  [
    'options',
    { 'skip-install-dependencies': 'true', 'skip-intermediate-deployments': 'false', 'delete-after-destroy': 'True', 'remediate-if-drift-detected': 'FALSE', shell: '/bin/bash' },
    {
      operation: 'update',
      ...defaultSource,
      operationContext: {
        options: { skipInstallDependencies: true, skipIntermediateDeployments: false, deleteAfterDestroy: true, remediateIfDriftDetected: false, shell: '/bin/bash' },
      },
    },
  ],
  [
    'aws oidc',
    {
      'aws-role-arn': 'arn:aws:iam::123456789012:role/deploy',
      'aws-session-name': 'gha',
      'aws-duration': '1h',
      'aws-policy-arns': 'arn:aws:iam::aws:policy/ReadOnlyAccess\narn:aws:iam::123456789012:policy/extra',
    },
    {
      operation: 'update',
      ...defaultSource,
      operationContext: {
        oidc: {
          aws: {
            roleArn: 'arn:aws:iam::123456789012:role/deploy',
            sessionName: 'gha',
            duration: '1h',
            policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::123456789012:policy/extra'],
          },
        },
      },
    },
  ],
  [
    'azure oidc',
    {
      'azure-client-id': '00000000-0000-0000-0000-000000000001',
      'azure-tenant-id': '00000000-0000-0000-0000-000000000002',
      'azure-subscription-id': '00000000-0000-0000-0000-000000000003',
    },
    {
      operation: 'update',
      ...defaultSource,
      operationContext: {
        oidc: {
          azure: { clientId: '00000000-0000-0000-0000-000000000001', tenantId: '00000000-0000-0000-0000-000000000002', subscriptionId: '00000000-0000-0000-0000-000000000003' },
        },
      },
    },
  ],
  [
    'gcp oidc',
    {
      'gcp-project-id': '123456',
      'gcp-region': 'us-central1',
      'gcp-workload-pool-id': 'pool',
      'gcp-provider-id': 'gh',
      'gcp-service-account': 'sa@p.iam.gserviceaccount.com',
      'gcp-token-lifetime': '30m',
    },
    {
      operation: 'update',
      ...defaultSource,
      operationContext: {
        oidc: {
          gcp: { projectId: '123456', workloadPoolId: 'pool', providerId: 'gh', serviceAccount: 'sa@p.iam.gserviceaccount.com', region: 'us-central1', tokenLifetime: '30m' },
        },
      },
    },
  ],
  [
    'executor image',
    { 'executor-image': 'pulumi/pulumi:3.140.0' },
    { operation: 'update', ...defaultSource, executorContext: { executorImage: { reference: 'pulumi/pulumi:3.140.0' } } },
  ],
  [
    'executor image with credentials',
    { 'executor-image': 'ghcr.io/acme/exec:1', 'executor-image-username': 'bot', 'executor-image-password': 'pw' },
    {
      operation: 'update',
      ...defaultSource,
      executorContext: { executorImage: { reference: 'ghcr.io/acme/exec:1', credentials: { username: 'bot', password: { secret: 'pw' } } } },
    },
  ],
  [
    'aws durations take plain seconds too, sent in the Go syntax the service reads',
    { 'aws-role-arn': 'arn:aws:iam::123456789012:role/deploy', 'aws-session-name': 'gha', 'aws-duration': '3600' },
    { operation: 'update', ...defaultSource, operationContext: { oidc: { aws: { roleArn: 'arn:aws:iam::123456789012:role/deploy', sessionName: 'gha', duration: '3600s' } } } },
  ],
  [
    'an ssh repo-url may name its user (no credential)',
    { 'repo-url': 'ssh://git@github.com/acme/other.git' },
    { operation: 'update', sourceContext: { git: { repoUrl: 'ssh://git@github.com/acme/other.git' } } },
  ],
  ['agent pool', { 'agent-pool-id': 'pool-1' }, { operation: 'update', ...defaultSource, agentPoolID: 'pool-1' }],
  [
    'wait/stream/timeout/cancel/fail/dry-run inputs do not reach the body',
    {
      wait: 'false',
      'stream-logs': 'false',
      timeout: '2h',
      'cancel-on-timeout': 'false',
      'cancel-on-job-cancel': 'false',
      'fail-on-skipped': 'true',
      'comment-on-pr': 'true',
    },
    { operation: 'update', ...defaultSource },
  ],
];

describe('inputs -> CreateDeploymentRequest body', () => {
  it.each(table)('%s', (_name, inputs, expected) => {
    expect(bodyFor(inputs)).toStrictEqual(expected);
  });

  it('uses the PR head SHA, not GITHUB_SHA, on pull_request events', () => {
    expect(bodyFor({}, prContext)).toStrictEqual({ operation: 'update', sourceContext: { git: { repoUrl: 'https://github.com/acme/infra.git', commit: 'a'.repeat(40) } } });
  });

  it('redacts every secret for dry-run and nothing else', () => {
    const body = bodyFor({ 'git-auth-token': 'ghp_x', 'secret-env': 'T=v', env: 'A=1', 'executor-image': 'i', 'executor-image-username': 'u', 'executor-image-password': 'pw' });
    const text = JSON.stringify(redactRequest(body));
    for (const secret of ['ghp_x', '"v"', '"pw"']) expect(text).not.toContain(secret);
    expect(text).toContain('"A":"1"');
    expect(text).toContain('"username":"u"');
    expect(text.match(/\*\*\*/g)).toHaveLength(3);
  });
});

describe('durations: one syntax for every duration input', () => {
  const timeout = (raw: string) => parseInputs((name) => ({ ...base, timeout: raw })[name] ?? '').deployment!.timeoutSeconds;
  it.each([
    ['3600', 3600],
    ['45m', 2700],
    ['1h30m', 5400],
    ['90s', 90],
    ['', 3600],
  ])('timeout %j = %i s (empty: the action.yml default)', (raw, seconds) => expect(timeout(raw)).toBe(seconds));
});

describe('login inputs', () => {
  const login = (inputs: Record<string, string>) => parseInputs((name) => ({ organization: 'acme', ...inputs })[name] ?? '').login;
  it('has the documented defaults', () => {
    expect(login({})).toStrictEqual({
      organization: 'acme',
      tokenType: 'organization',
      scope: undefined,
      expirationSeconds: undefined,
      cloudUrl: 'https://api.pulumi.com',
      audience: 'urn:pulumi:org:acme',
      exportEnvironmentVariables: true,
      logout: true,
    });
  });
  it.each([
    ['team', 'team:platform'],
    ['personal', 'user:alice'],
    ['runner', 'runner:ci-1'],
    ['urn:pulumi:token-type:access_token:team', 'team:platform'],
    ['organization', 'admin'],
  ])('token type %s with scope %s', (type, scope) => {
    const parsed = login({ 'requested-token-type': type, scope });
    expect(parsed.tokenType).toBe(type.replace('urn:pulumi:token-type:access_token:', ''));
    expect(parsed.scope).toBe(scope);
  });
  it.each([
    ['3600', 3600],
    ['45m', 2700],
    ['2h', 7200],
    ['1h30m', 5400],
    ['90s', 90],
  ])('token-expiration %s = %i s', (raw, seconds) => {
    expect(login({ 'token-expiration': raw }).expirationSeconds).toBe(seconds);
  });
  it('accepts http:// for loopback hosts and strips the trailing slash', () => {
    expect(login({ 'cloud-url': 'http://127.0.0.1:8080/' }).cloudUrl).toBe('http://127.0.0.1:8080');
    expect(login({ 'cloud-url': 'http://pulumi.localhost:9/' }).cloudUrl).toBe('http://pulumi.localhost:9');
  });
  it('honours custom audience and the opt-outs', () => {
    const parsed = login({ audience: 'custom', 'export-environment-variables': 'False', logout: 'FALSE' });
    expect([parsed.audience, parsed.exportEnvironmentVariables, parsed.logout]).toStrictEqual(['custom', false, false]);
  });
});

describe('pull requests from forks', () => {
  const head = 'a'.repeat(40);
  const baseSha = 'b'.repeat(40);
  const target = (fromFork: boolean, eventName = 'pull_request_target'): GitHubContext => ({
    ...context,
    eventName,
    sha: baseSha,
    pullRequestHeadSha: head,
    pullRequestNumber: 7,
    fromFork,
  });
  const aws = { 'aws-role-arn': 'arn:aws:iam::123456789012:role/deploy', 'aws-session-name': 'ci' };

  it.each(['pull_request_target', 'workflow_run'])('on %s the default source is the base commit, never the PR head', (event) => {
    for (const fromFork of [false, true]) {
      expect(bodyFor(aws, target(fromFork, event)).sourceContext).toStrictEqual({ git: { repoUrl: 'https://github.com/acme/infra.git', commit: baseSha } });
    }
  });

  it('deploying the PR head of a fork there with cloud OIDC or secret inputs is refused, naming allow-fork-code', () => {
    const credentials: Record<string, string>[] = [
      aws,
      {
        'azure-client-id': '00000000-0000-0000-0000-000000000000',
        'azure-tenant-id': '00000000-0000-0000-0000-000000000000',
        'azure-subscription-id': '00000000-0000-0000-0000-000000000000',
      },
      { 'gcp-project-id': 'p', 'gcp-workload-pool-id': 'w', 'gcp-provider-id': 'x', 'gcp-service-account': 'a@b' },
      { 'secret-env': 'TOKEN=x' },
      { 'git-auth-token': 'ghp_x' },
      { 'executor-image': 'img', 'executor-image-username': 'u', 'executor-image-password': 'p' },
    ];
    for (const creds of credentials) {
      for (const source of [{ commit: head }, { branch: 'feature' }] as Record<string, string>[]) {
        expect(() => bodyFor({ ...creds, ...source }, target(true))).toThrow(
          /^Input 'allow-fork-code': is false, and this pull_request_target run would deploy a fork's code with .*: the fork's code would run with your organization's cloud credentials\. /,
        );
        expect(bodyFor({ ...creds, ...source, 'allow-fork-code': 'true' }, target(true)).sourceContext).toBeDefined();
        expect(bodyFor({ ...creds, ...source }, target(false)).sourceContext).toBeDefined();
      }
    }
    // A fork's PR head on pull_request (its default source) is the same case.
    expect(() => bodyFor(aws, { ...target(true), eventName: 'pull_request' })).toThrow(/allow-fork-code/);
    // No credentials: nothing of the organization's reaches the fork's code.
    expect(bodyFor({ commit: head }, target(true)).sourceContext).toStrictEqual({ git: { repoUrl: 'https://github.com/acme/infra.git', commit: head } });
  });
});

describe('rules across inputs added for fail-closed reporting', () => {
  const parse = (inputs: Record<string, string>) => () => parseInputs((name) => ({ ...base, ...inputs })[name] ?? '');
  it('expect-no-changes with wait false is an input error', () => {
    expect(parse({ 'expect-no-changes': 'true', wait: 'false' })).toThrow(
      "Input 'expect-no-changes': is true but wait is false, so nothing would be judged. Set wait to true, or remove expect-no-changes",
    );
    expect(parse({ 'expect-no-changes': 'true' })).not.toThrow();
  });
  it('console-url takes a base URL and names itself when bad', () => {
    expect(parse({ 'console-url': 'https://pulumi.corp.example/console/' })().report.consoleUrl).toBe('https://pulumi.corp.example/console');
    expect(parse({ 'console-url': 'http://evil.example' })).toThrow(`Input 'console-url': "http://evil.example" uses http:// for a remote host`);
    expect(parse({ 'console-url': 'https://x.example/?a' })).toThrow(
      `Input 'console-url': "https://x.example/?a" has a query or fragment. Use the console base URL such as https://app.pulumi.com`,
    );
  });
});

/** Bad inputs with the exact one-line error each must give. All run as unit tests; rows marked e2e also run through dist/. */
export interface BadInputCase {
  name: string;
  inputs: Record<string, string>;
  input: string;
  error: string;
  /** Further problems the same inputs give, in order (each its own annotation). */
  more?: string[];
  /** Also run end to end through dist/ (a small representative subset). */
  e2e?: boolean;
}

const login = { organization: 'acme' };
const deploy = { organization: 'acme', stack: 'app/dev', operation: 'update' };
const ARN = 'arn:aws:iam::123456789012:role/deploy';
const G = '00000000-0000-0000-0000-000000000001';

export const BAD_INPUTS: BadInputCase[] = [
  { name: 'missing organization', inputs: {}, input: 'organization', error: "Input 'organization': is required. Set it to your Pulumi organization name", e2e: true },
  { name: 'whitespace organization', inputs: { organization: '   ' }, input: 'organization', error: "Input 'organization': is required. Set it to your Pulumi organization name" },
  {
    name: 'organization with a slash',
    inputs: { organization: 'acme/x' },
    input: 'organization',
    error: `Input 'organization': "acme/x" is not an organization name. Use up to 100 letters, digits, "-", "_" and "." (not "." or ".." alone)`,
  },
  {
    name: 'organization with unicode',
    inputs: { organization: 'acmé' },
    input: 'organization',
    error: `Input 'organization': "acmé" is not an organization name. Use up to 100 letters, digits, "-", "_" and "." (not "." or ".." alone)`,
  },
  {
    name: 'unknown token type',
    inputs: { ...login, 'requested-token-type': 'admin' },
    input: 'requested-token-type',
    error: `Input 'requested-token-type': "admin" is not a token type. Use one of organization, team, personal, runner, or urn:pulumi:token-type:access_token:<type>`,
  },
  {
    name: 'token type in capitals',
    inputs: { ...login, 'requested-token-type': 'TEAM' },
    input: 'requested-token-type',
    error: `Input 'requested-token-type': "TEAM" is not a token type. Use one of organization, team, personal, runner, or urn:pulumi:token-type:access_token:<type>`,
  },
  {
    name: 'team without scope',
    inputs: { ...login, 'requested-token-type': 'team' },
    input: 'scope',
    error: "Input 'scope': is required for requested-token-type 'team'. Use 'team:NAME'",
  },
  {
    name: 'personal without scope',
    inputs: { ...login, 'requested-token-type': 'personal' },
    input: 'scope',
    error: "Input 'scope': is required for requested-token-type 'personal'. Use 'user:LOGIN'",
  },
  {
    name: 'runner without scope',
    inputs: { ...login, 'requested-token-type': 'runner' },
    input: 'scope',
    error: "Input 'scope': is required for requested-token-type 'runner'. Use 'runner:NAME'",
  },
  {
    name: 'team scope on an organization token',
    inputs: { ...login, scope: 'team:x' },
    input: 'scope',
    error: `Input 'scope': "team:x" does not fit requested-token-type 'organization'. Use empty or 'admin'`,
  },
  {
    name: 'user scope on a team token',
    inputs: { ...login, 'requested-token-type': 'team', scope: 'user:bob' },
    input: 'scope',
    error: `Input 'scope': "user:bob" does not fit requested-token-type 'team'. Use 'team:NAME'`,
  },
  {
    name: 'empty team name',
    inputs: { ...login, 'requested-token-type': 'team', scope: 'team:' },
    input: 'scope',
    error: `Input 'scope': "team:" does not fit requested-token-type 'team'. Use 'team:NAME'`,
  },
  {
    name: 'malformed expiration',
    inputs: { ...login, 'token-expiration': '2 hours' },
    input: 'token-expiration',
    error: `Input 'token-expiration': "2 hours" is not a duration. Use seconds (3600) or a duration such as 90s, 45m, 2h or 1h30m`,
  },
  {
    name: 'zero expiration',
    inputs: { ...login, 'token-expiration': '0' },
    input: 'token-expiration',
    error: `Input 'token-expiration': "0" must be longer than zero. Use a duration such as 45m or 2h`,
  },
  {
    name: 'negative expiration',
    inputs: { ...login, 'token-expiration': '-5' },
    input: 'token-expiration',
    error: `Input 'token-expiration': "-5" is not a duration. Use seconds (3600) or a duration such as 90s, 45m, 2h or 1h30m`,
  },
  {
    name: 'expiration with wrong unit order',
    inputs: { ...login, 'token-expiration': '30m1h' },
    input: 'token-expiration',
    error: `Input 'token-expiration': "30m1h" is not a duration. Use seconds (3600) or a duration such as 90s, 45m, 2h or 1h30m`,
  },
  {
    name: 'non-https remote cloud-url',
    inputs: { ...login, 'cloud-url': 'http://pulumi.example.com' },
    input: 'cloud-url',
    error: `Input 'cloud-url': "http://pulumi.example.com" uses http:// for a remote host. Use https://; http:// is accepted only for loopback hosts`,
  },
  {
    name: 'cloud-url not a URL',
    inputs: { ...login, 'cloud-url': 'api.pulumi.com' },
    input: 'cloud-url',
    error: `Input 'cloud-url': "api.pulumi.com" is not a URL. Use an https URL such as https://api.pulumi.com`,
  },
  {
    name: 'cloud-url with credentials',
    inputs: { ...login, 'cloud-url': 'https://u:p@api.pulumi.com' },
    input: 'cloud-url',
    error: "Input 'cloud-url': must not contain credentials. Remove the user:password@ part",
    e2e: true,
  },
  {
    name: 'cloud-url ftp',
    inputs: { ...login, 'cloud-url': 'ftp://api.pulumi.com' },
    input: 'cloud-url',
    error: `Input 'cloud-url': "ftp://api.pulumi.com" is not an http(s) URL. Use an https URL such as https://api.pulumi.com`,
  },
  {
    name: 'bad boolean',
    inputs: { ...login, 'export-environment-variables': 'yes' },
    input: 'export-environment-variables',
    error: `Input 'export-environment-variables': "yes" is not a boolean. Use true or false`,
  },
  { name: 'bad boolean logout', inputs: { ...login, logout: 'on' }, input: 'logout', error: `Input 'logout': "on" is not a boolean. Use true or false` },
  { name: 'YAML-ish boolean', inputs: { ...deploy, wait: 'tRuE' }, input: 'wait', error: `Input 'wait': "tRuE" is not a boolean. Use true or false` },
  {
    name: 'stack without operation',
    inputs: { ...login, stack: 'app/dev' },
    input: 'operation',
    error: `Input 'operation': is empty but 'stack' is set to "app/dev". Set operation to one of update, preview, refresh, destroy, detect-drift, remediate-drift, or remove 'stack' to log in only`,
  },
  {
    name: 'unknown operation',
    inputs: { ...deploy, operation: 'up' },
    input: 'operation',
    error: `Input 'operation': "up" is not an operation. Use one of update, preview, refresh, destroy, detect-drift, remediate-drift`,
  },
  {
    name: 'operation without stack',
    inputs: { ...login, operation: 'update' },
    input: 'stack',
    error: "Input 'stack': is required when operation is set. Use org/project/stack or project/stack",
  },
  {
    name: 'malformed stack',
    inputs: { ...deploy, stack: 'dev' },
    input: 'stack',
    error: `Input 'stack': "dev" is not a stack name. Use org/project/stack or project/stack (each up to 100 letters, digits, "-", "_" and "." (not "." or ".." alone))`,
  },
  {
    name: 'stack with four parts',
    inputs: { ...deploy, stack: 'a/b/c/d' },
    input: 'stack',
    error: `Input 'stack': "a/b/c/d" is not a stack name. Use org/project/stack or project/stack (each up to 100 letters, digits, "-", "_" and "." (not "." or ".." alone))`,
  },
  {
    name: 'stack of another organization',
    inputs: { ...deploy, stack: 'other/app/dev' },
    input: 'stack',
    error: `Input 'stack': organization "other" differs from input 'organization' ("acme"). The token is issued for one organization; use project/stack or match the two`,
  },
  {
    name: 'stack with a newline',
    inputs: { ...deploy, stack: 'app/dev\nx' },
    input: 'stack',
    error: `Input 'stack': "app/dev\\u000ax" is not a stack name. Use org/project/stack or project/stack (each up to 100 letters, digits, "-", "_" and "." (not "." or ".." alone))`,
    e2e: true,
  },
  {
    name: 'env name invalid',
    inputs: { ...deploy, env: '1A=x' },
    input: 'env',
    error: `Input 'env': line 1: "1A" is not a variable name. Names use letters, digits and "_" and do not start with a digit`,
  },
  { name: 'env line without =', inputs: { ...deploy, env: 'A=1\nJUSTTEXT' }, input: 'env', error: `Input 'env': line 2 has no '=' ("JUSTTEXT"). Write one NAME=value per line` },
  {
    name: 'env reserved name',
    inputs: { ...deploy, env: 'PULUMI_ACCESS_TOKEN=x' },
    input: 'env',
    error:
      "Input 'env': line 1: PULUMI_ACCESS_TOKEN is reserved by Pulumi Deployments. Do not set PULUMI_ACCESS_TOKEN, PULUMI_BACKEND_URL, PULUMI_CI_BUILD_ID, PULUMI_CI_BUILD_NUMBER, PULUMI_CI_BUILD_URL, PULUMI_CI_SYSTEM",
  },
  {
    name: 'secret-env reserved name',
    inputs: { ...deploy, 'secret-env': 'PULUMI_CI_SYSTEM=x' },
    input: 'secret-env',
    error:
      "Input 'secret-env': line 1: PULUMI_CI_SYSTEM is reserved by Pulumi Deployments. Do not set PULUMI_ACCESS_TOKEN, PULUMI_BACKEND_URL, PULUMI_CI_BUILD_ID, PULUMI_CI_BUILD_NUMBER, PULUMI_CI_BUILD_URL, PULUMI_CI_SYSTEM",
  },
  {
    name: 'secret-env line without = does not echo it',
    inputs: { ...deploy, 'secret-env': 'hunter2' },
    input: 'secret-env',
    error: "Input 'secret-env': line 1 has no '='. Write one NAME=value per line",
    e2e: true,
  },
  {
    name: 'duplicate env names',
    inputs: { ...deploy, env: 'A=1\nA=2' },
    input: 'env',
    error: "Input 'env': sets A more than once (across env and secret-env). Give each variable one value",
  },
  {
    name: 'env name in both env and secret-env',
    inputs: { ...deploy, env: 'A=1', 'secret-env': 'A=2' },
    input: 'secret-env',
    error: "Input 'secret-env': sets A more than once (across env and secret-env). Give each variable one value",
  },
  {
    name: 'env name with a dash',
    inputs: { ...deploy, env: 'MY-VAR=1' },
    input: 'env',
    error: `Input 'env': line 1: "MY-VAR" is not a variable name. Names use letters, digits and "_" and do not start with a digit`,
  },
  { name: 'env value with NUL', inputs: { ...deploy, env: 'A=x\u0000y' }, input: 'env', error: "Input 'env': line 1: the value of A contains a NUL character. Remove it" },
  {
    name: 'branch with commit',
    inputs: { ...deploy, branch: 'main', commit: 'abcdef1' },
    input: 'commit',
    error: "Input 'commit': cannot be combined with branch. Set either branch or commit",
  },
  {
    name: 'commit not a sha',
    inputs: { ...deploy, commit: 'HEAD~1' },
    input: 'commit',
    error: `Input 'commit': "HEAD~1" is not a commit SHA. Use a hex SHA of 7 to 64 characters`,
  },
  {
    name: 'branch with spaces',
    inputs: { ...deploy, branch: 'my branch' },
    input: 'branch',
    error: `Input 'branch': "my branch" is not a branch name. Use a branch name such as main or refs/heads/main`,
  },
  {
    name: 'repo-url not a git URL',
    inputs: { ...deploy, 'repo-url': 'acme/infra' },
    input: 'repo-url',
    error: `Input 'repo-url': "acme/infra" is not a git URL. Use https://host/owner/repo.git or git@host:owner/repo.git`,
  },
  {
    name: 'repo-dir escaping the repo',
    inputs: { ...deploy, 'repo-dir': '../x' },
    input: 'repo-dir',
    error: `Input 'repo-dir': "../x" must be a relative folder inside the repository. Use a path such as infra/app`,
  },
  {
    name: 'source input with use-stack-source',
    inputs: { ...deploy, 'use-stack-source': 'true', branch: 'main' },
    input: 'branch',
    error: "Input 'branch': is set but use-stack-source is true, which sends no source. Remove 'branch' or set use-stack-source to false",
  },
  {
    name: 'two kinds of git auth',
    inputs: { ...deploy, 'git-auth-token': 't', 'git-ssh-private-key': 'k' },
    input: 'git-auth-token',
    error:
      "Input 'git-auth-token': more than one kind of git auth is set (git-auth-token, git-ssh-private-key). Use only one of git-auth-token, git-ssh-private-key or git-username with git-password",
  },
  {
    name: 'ssh password without key',
    inputs: { ...deploy, 'git-ssh-password': 'p' },
    input: 'git-ssh-password',
    error: "Input 'git-ssh-password': is set without git-ssh-private-key. Set git-ssh-private-key too, or remove it",
  },
  {
    name: 'git username without password',
    inputs: { ...deploy, 'git-username': 'u' },
    input: 'git-password',
    error: "Input 'git-password': is required with git-username. Set both for basic git auth",
  },
  {
    name: 'aws without role',
    inputs: { ...deploy, 'aws-session-name': 'sess' },
    input: 'aws-role-arn',
    error: "Input 'aws-role-arn': is required when any aws-* input is set. Set aws-role-arn and aws-session-name",
  },
  {
    name: 'aws without session name',
    inputs: { ...deploy, 'aws-role-arn': ARN },
    input: 'aws-session-name',
    error: "Input 'aws-session-name': is required with aws-role-arn. Set a session name such as pulumi-deployments",
  },
  {
    name: 'aws role not an ARN',
    inputs: { ...deploy, 'aws-role-arn': 'deploy-role', 'aws-session-name': 's1' },
    input: 'aws-role-arn',
    error: `Input 'aws-role-arn': "deploy-role" is not an IAM role ARN. Use arn:aws:iam::123456789012:role/NAME`,
  },
  {
    name: 'aws policy not an ARN',
    inputs: { ...deploy, 'aws-role-arn': ARN, 'aws-session-name': 's1', 'aws-policy-arns': 'ReadOnly' },
    input: 'aws-policy-arns',
    error: `Input 'aws-policy-arns': "ReadOnly" is not an IAM policy ARN. Use arn:aws:iam::aws:policy/NAME or arn:aws:iam::123456789012:policy/NAME, one per line`,
  },
  {
    name: 'aws duration malformed',
    inputs: { ...deploy, 'aws-role-arn': ARN, 'aws-session-name': 's1', 'aws-duration': '1 hour' },
    input: 'aws-duration',
    error: `Input 'aws-duration': "1 hour" is not a duration. Use seconds (3600) or a duration such as 90s, 45m, 2h or 1h30m`,
  },
  {
    name: 'azure missing tenant',
    inputs: { ...deploy, 'azure-client-id': G, 'azure-subscription-id': G },
    input: 'azure-tenant-id',
    error: "Input 'azure-tenant-id': is required when any azure-* input is set. Set azure-client-id, azure-tenant-id and azure-subscription-id",
  },
  {
    name: 'azure id not a GUID',
    inputs: { ...deploy, 'azure-client-id': 'abc', 'azure-tenant-id': G, 'azure-subscription-id': G },
    input: 'azure-client-id',
    error: `Input 'azure-client-id': "abc" is not a GUID. Use the form 00000000-0000-0000-0000-000000000000`,
  },
  {
    name: 'gcp missing provider',
    inputs: { ...deploy, 'gcp-project-id': '1', 'gcp-workload-pool-id': 'p', 'gcp-service-account': 'a@b' },
    input: 'gcp-provider-id',
    error: "Input 'gcp-provider-id': is required when any gcp-* input is set. Set gcp-project-id, gcp-workload-pool-id, gcp-provider-id and gcp-service-account",
  },
  {
    name: 'gcp region alone',
    inputs: { ...deploy, 'gcp-region': 'us-east1' },
    input: 'gcp-project-id',
    error: "Input 'gcp-project-id': is required when any gcp-* input is set. Set gcp-project-id, gcp-workload-pool-id, gcp-provider-id and gcp-service-account",
    more: ['gcp-workload-pool-id', 'gcp-provider-id', 'gcp-service-account'].map(
      (name) => `Input '${name}': is required when any gcp-* input is set. Set gcp-project-id, gcp-workload-pool-id, gcp-provider-id and gcp-service-account`,
    ),
  },
  {
    name: 'gcp token lifetime malformed',
    inputs: { ...deploy, 'gcp-project-id': '1', 'gcp-workload-pool-id': 'p', 'gcp-provider-id': 'x', 'gcp-service-account': 'a@b', 'gcp-token-lifetime': '1d' },
    input: 'gcp-token-lifetime',
    error: `Input 'gcp-token-lifetime': "1d" is not a duration. Use seconds (3600) or a duration such as 90s, 45m, 2h or 1h30m`,
  },
  {
    name: 'timeout malformed',
    inputs: { ...deploy, timeout: '10 minutes' },
    input: 'timeout',
    error: `Input 'timeout': "10 minutes" is not a duration. Use seconds (3600) or a duration such as 90s, 45m, 2h or 1h30m`,
  },
  {
    name: 'timeout zero',
    inputs: { ...deploy, timeout: '0s' },
    input: 'timeout',
    error: `Input 'timeout': "0s" must be longer than zero. Use a duration such as 45m or 2h`,
    e2e: true,
  },
  {
    name: 'registry password without image',
    inputs: { ...deploy, 'executor-image-password': 'p' },
    input: 'executor-image-password',
    error: "Input 'executor-image-password': is set without executor-image. Set executor-image too, or remove it",
  },
  {
    name: 'registry username without password',
    inputs: { ...deploy, 'executor-image': 'img', 'executor-image-username': 'u' },
    input: 'executor-image-password',
    error: "Input 'executor-image-password': is required with the other registry credential. Set both executor-image-username and executor-image-password, or neither",
  },
  {
    name: 'dry-run without operation',
    inputs: { ...login, 'dry-run': 'true' },
    input: 'dry-run',
    error: "Input 'dry-run': is true but no operation is set. dry-run prints the deployment request; set operation and stack",
  },
  {
    name: 'very long operation value is cut in the message',
    inputs: { ...deploy, operation: 'x'.repeat(5000) },
    input: 'operation',
    error: `Input 'operation': "${'x'.repeat(57)}..." is not an operation. Use one of update, preview, refresh, destroy, detect-drift, remediate-drift`,
  },
  {
    name: 'organization ..',
    inputs: { organization: '..' },
    input: 'organization',
    error: `Input 'organization': ".." is not an organization name. Use up to 100 letters, digits, "-", "_" and "." (not "." or ".." alone)`,
  },
  {
    name: 'organization too long',
    inputs: { organization: 'a'.repeat(101) },
    input: 'organization',
    error: `Input 'organization': "${'a'.repeat(57)}..." is not an organization name. Use up to 100 letters, digits, "-", "_" and "." (not "." or ".." alone)`,
  },
  {
    name: 'stack .. changes the path',
    inputs: { ...deploy, stack: 'app/..' },
    input: 'stack',
    error: `Input 'stack': "app/.." is not a stack name. Use org/project/stack or project/stack (each up to 100 letters, digits, "-", "_" and "." (not "." or ".." alone))`,
    e2e: true,
  },
  {
    name: 'project .',
    inputs: { ...deploy, stack: 'acme/./dev' },
    input: 'stack',
    error: `Input 'stack': "acme/./dev" is not a stack name. Use org/project/stack or project/stack (each up to 100 letters, digits, "-", "_" and "." (not "." or ".." alone))`,
  },
  {
    name: 'stack with a runner command',
    inputs: { ...deploy, stack: 'app/##[stop-commands]x' },
    input: 'stack',
    error: `Input 'stack': "app/##\\u005bstop-commands]x" is not a stack name. Use org/project/stack or project/stack (each up to 100 letters, digits, "-", "_" and "." (not "." or ".." alone))`,
  },
  {
    name: 'scope with a control character',
    inputs: { ...login, 'requested-token-type': 'team', scope: 'team:a\u0007b' },
    input: 'scope',
    error: `Input 'scope': "team:a\\u0007b" does not fit requested-token-type 'team'. Use 'team:NAME'`,
  },
  {
    name: 'audience with a space',
    inputs: { ...login, audience: 'urn:pulumi:org:acme x' },
    input: 'audience',
    error: `Input 'audience': "urn:pulumi:org:acme x" is not an audience. Use up to 256 printable characters without spaces, such as urn:pulumi:org:ORG`,
  },
  {
    name: 'cloud-url credentials without a scheme are not quoted',
    inputs: { ...login, 'cloud-url': 'bob:hunter2@api.pulumi.com' },
    input: 'cloud-url',
    error: `Input 'cloud-url': "***@api.pulumi.com" is not an http(s) URL. Use an https URL such as https://api.pulumi.com`,
  },
  {
    name: 'repo-url with credentials (dry-run too)',
    inputs: { ...deploy, 'dry-run': 'true', 'repo-url': 'https://bob:ghp_hunter2@github.com/acme/infra.git' },
    input: 'repo-url',
    error: `Input 'repo-url': "https://***@github.com/acme/infra.git" contains credentials. Remove the user:token@ part and set git-auth-token (a URL is shown in logs and saved in the stack settings)`,
    e2e: true,
  },
  {
    name: 'repo-url with a token as user',
    inputs: { ...deploy, 'repo-url': 'https://ghp_hunter2@github.com/acme/infra.git' },
    input: 'repo-url',
    error: `Input 'repo-url': "https://***@github.com/acme/infra.git" contains credentials. Remove the user:token@ part and set git-auth-token (a URL is shown in logs and saved in the stack settings)`,
  },
  {
    name: 'ssh repo-url with a password',
    inputs: { ...deploy, 'repo-url': 'ssh://git:hunter2@example.com/acme/infra.git' },
    input: 'repo-url',
    error: `Input 'repo-url': "ssh://***@example.com/acme/infra.git" contains credentials. Remove the user:token@ part and set git-auth-token (a URL is shown in logs and saved in the stack settings)`,
  },
  {
    name: 'malformed repo-url with credentials is not quoted',
    inputs: { ...deploy, 'repo-url': 'https://bob:hunter2 x@github.com/acme' },
    input: 'repo-url',
    error: `Input 'repo-url': "https://***@github.com/acme" is not a git URL. Use https://host/owner/repo.git or git@host:owner/repo.git`,
  },
  {
    name: 'branch with a control character',
    inputs: { ...deploy, branch: 'ma\u001bin' },
    input: 'branch',
    error: `Input 'branch': "ma\\u001bin" is not a branch name. Use a branch name such as main or refs/heads/main`,
  },
  {
    name: 'two source inputs with use-stack-source',
    inputs: { ...deploy, 'use-stack-source': 'true', 'repo-url': 'https://github.com/acme/x', 'repo-dir': 'infra' },
    input: 'repo-url',
    error: "Input 'repo-url': is set but use-stack-source is true, which sends no source. Remove 'repo-url' or set use-stack-source to false",
    more: ["Input 'repo-dir': is set but use-stack-source is true, which sends no source. Remove 'repo-dir' or set use-stack-source to false"],
  },
  {
    name: 'registry credentials without image',
    inputs: { ...deploy, 'executor-image-username': 'u', 'executor-image-password': 'p' },
    input: 'executor-image-username',
    error: "Input 'executor-image-username': is set without executor-image. Set executor-image too, or remove it",
    more: ["Input 'executor-image-password': is set without executor-image. Set executor-image too, or remove it"],
  },
  {
    name: 'several bad inputs: each reported on its own',
    inputs: {
      ...deploy,
      'token-expiration': 'soon',
      stack: 'app/..',
      'repo-url': 'https://bob:hunter2@github.com/acme/infra.git',
      wait: 'maybe',
      env: 'A=1',
      'secret-env': 'A=hunter3',
    },
    input: 'token-expiration',
    error: `Input 'token-expiration': "soon" is not a duration. Use seconds (3600) or a duration such as 90s, 45m, 2h or 1h30m`,
    more: [
      `Input 'stack': "app/.." is not a stack name. Use org/project/stack or project/stack (each up to 100 letters, digits, "-", "_" and "." (not "." or ".." alone))`,
      `Input 'repo-url': "https://***@github.com/acme/infra.git" contains credentials. Remove the user:token@ part and set git-auth-token (a URL is shown in logs and saved in the stack settings)`,
      `Input 'wait': "maybe" is not a boolean. Use true or false`,
      "Input 'secret-env': sets A more than once (across env and secret-env). Give each variable one value",
    ],
    e2e: true,
  },
];

// The issued Pulumi token as step outputs and, if asked, as env for later steps.
import type { LoginConfig } from '../inputs/parse.js';
import { exportVariable, outputText, setOutput, type OutputValue } from '../runner-io/outputs.js';

/**
 * Outputs, env and state for one issued token. The token and its backend URL are exported as a
 * pair on every login and refresh: GITHUB_ENV cannot unset a variable, so an earlier login's URL
 * must be overwritten, or later `pulumi` steps would send this token to another host.
 */
export function publishToken(
  login: Pick<LoginConfig, 'cloudUrl' | 'exportEnvironmentVariables'>,
  issued: { token: string; expiresAt: Date },
  recordHash: (token: string) => void,
): void {
  // The only steps that could throw, so first: a token of the wrong shape is never half-published.
  const token: OutputValue = { kind: 'token', value: issued.token };
  outputText(token);
  const expiresAt = issued.expiresAt.toISOString();
  recordHash(issued.token);
  setOutput('pulumi-access-token', token);
  setOutput('token-expires-at', { kind: 'time', value: new Date(expiresAt) });
  if (login.exportEnvironmentVariables) {
    exportVariable('PULUMI_BACKEND_URL', { kind: 'url', value: login.cloudUrl, origin: login.cloudUrl });
    exportVariable('PULUMI_ACCESS_TOKEN', token);
  }
}

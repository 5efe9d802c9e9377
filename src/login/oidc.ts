import { decodeJwt } from 'jose';
import { sanitizeLine } from '../runner-io/untrusted-text.js';
import type { JsonHttp } from '../cloud/http.js';
import { DEFAULT_RETRY, httpFailureOf, retryDecision, withRetry, type RetryHooks } from '../cloud/retry.js';
import type { IdTokenRequestEnv } from '../runner-io/github-context.js';

/**
 * Asks the runner for a GitHub ID token. Unlike core.getIDToken, retries network errors,
 * timeouts, 429 and 5xx with the shared policy, and masks the JWT before returning it.
 */
export async function fetchGitHubIdToken(
  audience: string,
  request: IdTokenRequestEnv,
  http: JsonHttp,
  mask: (secret: string) => void,
  hooks: Omit<RetryHooks, 'classify'> = {},
): Promise<string> {
  const url = `${request.url}${request.url.includes('?') ? '&' : '?'}audience=${encodeURIComponent(audience)}`;
  const body = await withRetry(
    async () => {
      try {
        return (await http.request<{ value?: unknown }>('GET', url, undefined, { Authorization: `Bearer ${request.token}`, Accept: 'application/json' }, { maxBytes: 64 * 1024 }))
          .body;
      } catch (error) {
        const failure = httpFailureOf(error);
        const words =
          failure?.kind === 'status'
            ? `GitHub's ID token endpoint answered ${failure.status}${describeBody(failure.body)}`
            : `Could not reach GitHub's ID token endpoint: ${error instanceof Error ? error.message : String(error)}`;
        throw new Error(words, { cause: error });
      }
    },
    DEFAULT_RETRY,
    { ...hooks, classify: (error) => retryDecision(error, 'idempotent') },
  );
  if (typeof body?.value !== 'string' || body.value === '') {
    throw new Error("GitHub's ID token endpoint answered without a token ('value' is missing)");
  }
  mask(body.value);
  return body.value;
}

function describeBody(body: unknown): string {
  if (body && typeof body === 'object' && 'message' in body) return `: ${String(body.message).slice(0, 200)}`;
  return typeof body === 'string' && body ? `: ${body.slice(0, 200)}` : '';
}

/** The claims users need to fix a trust-policy mismatch; none of them is secret. */
export function describeIdTokenClaims(jwt: string): Record<string, string> {
  try {
    const claims = decodeJwt(jwt);
    const shown: Record<string, string> = {};
    for (const name of ['iss', 'sub', 'aud', 'job_workflow_ref', 'repository', 'ref', 'event_name'] as const) {
      const value = claims[name];
      if (value !== undefined) shown[name] = sanitizeLine(Array.isArray(value) ? value.join(', ') : String(value), 300);
    }
    return shown;
  } catch {
    return {};
  }
}

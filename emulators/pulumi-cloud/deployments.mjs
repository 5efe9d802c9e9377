// Pulumi Deployments API: create, get, logs (streaming and step mode), updates, cancel.
// Deployment state follows the scenario timeline (timeline.mjs) read against the clock.
import { randomUUID } from 'node:crypto';
import { json } from '../lib/http.mjs';
import { planTimeline, statusAt, jobsAt, availableCount, applyCancel } from './timeline.mjs';
import { userInfoFor } from './tokens.mjs';
import { decodeToken, encodeToken } from '../lib/continuation-token.mjs';

const OPERATIONS = ['update', 'preview', 'destroy', 'refresh', 'detect-drift', 'remediate-drift'];
// Top-level fields of CreateDeploymentRequest (DeploymentSettingsRequest + operation, inheritSettings).
const TOP_LEVEL = new Set(['operation', 'inheritSettings', 'agentPoolID', 'cacheOptions', 'executorContext', 'gitHub', 'operationContext', 'sourceContext', 'tag', 'vcs']);
const UPDATE_KIND = { update: 'update', preview: 'preview', destroy: 'destroy', refresh: 'refresh', 'detect-drift': 'refresh', 'remediate-drift': 'update' };
const PREVIEW_KINDS = new Set(['preview', 'Pupdate', 'Prefresh', 'Pdestroy', 'Pimport', 'Prename']);

const error = (status, message) => json(status, { code: status, message });
const iso = (ms) => new Date(ms).toISOString();
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Mirrors the service's decoding: unknown fields and wrong types are a 400. */
export function checkCreateBody(body) {
  if (!isObject(body)) return 'request body must be a JSON object';
  for (const key of Object.keys(body)) if (!TOP_LEVEL.has(key)) return `unknown field '${key}' in request body`;
  if (body.operation === undefined) return "Missing top level required field 'operation'";
  if (!OPERATIONS.includes(body.operation)) return `invalid operation '${body.operation}'; expected one of ${OPERATIONS.join(', ')}`;
  if (body.inheritSettings !== undefined && typeof body.inheritSettings !== 'boolean') return 'inheritSettings must be a boolean';
  for (const key of ['operationContext', 'sourceContext', 'executorContext', 'cacheOptions', 'gitHub', 'vcs']) {
    if (body[key] !== undefined && body[key] !== null && !isObject(body[key])) return `${key} must be an object`;
  }
  const op = body.operationContext ?? {};
  if (op.operation !== undefined) return "'operation' must only be set at the top level";
  if (op.preRunCommands !== undefined && (!Array.isArray(op.preRunCommands) || op.preRunCommands.some((c) => typeof c !== 'string'))) {
    return 'operationContext.preRunCommands must be an array of strings';
  }
  if (op.environmentVariables !== undefined) {
    if (!isObject(op.environmentVariables)) return 'operationContext.environmentVariables must be an object';
    for (const [name, value] of Object.entries(op.environmentVariables)) {
      const ok = typeof value === 'string' || (isObject(value) && (typeof value.secret === 'string' || typeof value.plaintext === 'string'));
      if (!ok) return `environment variable '${name}' must be a string or {"secret": "..."}`;
    }
  }
  const git = body.sourceContext?.git;
  if (git !== undefined) {
    if (!isObject(git)) return 'sourceContext.git must be an object';
    for (const key of ['repoUrl', 'branch', 'commit', 'repoDir', 'tag']) {
      if (git[key] !== undefined && typeof git[key] !== 'string') return `sourceContext.git.${key} must be a string`;
    }
    if (git.branch && git.commit) return 'sourceContext.git.branch and sourceContext.git.commit are mutually exclusive';
  }
  if (body.agentPoolID !== undefined && body.agentPoolID !== null && typeof body.agentPoolID !== 'string') return 'agentPoolID must be a string';
  return null;
}

/**
 * stacks: Set of 'org/project/stack'; scenarioFor(stack) -> scenario; url() -> console host.
 */
export function createDeploymentsApi({ stacks, scenarioFor, timeScale, logPageSize, url, hostile = () => ({}) }) {
  /** Map id -> record (fields listed in server.mjs). */
  const deployments = new Map();
  const stackState = new Map(); // stack -> {deploymentVersion, updateVersion}
  const stateOf = (stack) => {
    if (!stackState.has(stack)) stackState.set(stack, { deploymentVersion: 0, updateVersion: 0 });
    return stackState.get(stack);
  };

  function lookup(params, token) {
    const stack = `${params.org}/${params.project}/${params.stack}`;
    if (token.organization !== params.org) return { error: error(403, `Forbidden: the token is not valid for organization '${params.org}'`) };
    const d = deployments.get(params.id);
    if (!d || d.stack !== stack) return { error: error(404, `Deployment '${params.id}' not found`) };
    return { d };
  }

  function create({ params, body, headers }, token) {
    const stack = `${params.org}/${params.project}/${params.stack}`;
    if (token.organization !== params.org) return error(403, `Forbidden: the token is not valid for organization '${params.org}'`);
    const problem = checkCreateBody(body);
    if (problem) return error(400, problem);
    if (!stacks.has(stack)) return error(404, `Stack '${stack}' not found`);

    const state = stateOf(stack);
    const createdAt = Date.now();
    const scenario = scenarioFor(stack);
    const id = randomUUID();
    const version = ++state.deploymentVersion;
    const record = {
      id,
      stack,
      org: params.org,
      project: params.project,
      stackName: params.stack,
      version,
      operation: body.operation,
      request: structuredClone(body),
      initiator: headers['x-pulumi-deployment-initiator'] ?? 'api',
      requestedBy: userInfoFor(token),
      scenario,
      createdAt,
      cancelRequestedAt: null,
      cancelledAt: null,
      ...planTimeline(scenario, {
        createdAt,
        timeScale,
        operation: body.operation,
        names: {
          org: params.org,
          project: params.project,
          stack: params.stack,
          commit: /^[0-9a-f]{40}$/.test(body.sourceContext?.git?.commit ?? '') ? body.sourceContext.git.commit : undefined,
        },
      }),
      get status() {
        return statusAt(this, Date.now());
      },
    };
    // Stack versions are reserved now; previews do not bump the stack version.
    record.updates = (scenario.updates ?? []).map((u) => {
      const kind = u.kind ?? UPDATE_KIND[body.operation];
      const updateVersion = PREVIEW_KINDS.has(kind) ? state.updateVersion : ++state.updateVersion;
      return { ...u, kind, updateID: randomUUID(), version: updateVersion };
    });
    deployments.set(id, record);
    const h = hostile();
    return json(202, { id: h.id ?? id, consoleUrl: h.consoleUrl ?? `${url()}/${stack}/deployments/${version}`, version });
  }

  function get({ params }, token) {
    const { d, error: err } = lookup(params, token);
    if (err) return err;
    const now = Date.now();
    const events = [d.createdAt, d.acceptedAt, d.startedAt, ...d.steps.flatMap((s) => [s.startAt, s.endAt]), d.endsAt, d.cancelledAt !== null ? d.cancelRequestedAt : null].filter(
      (t) => t !== null && t !== undefined && t <= now,
    );
    const body = {
      id: d.id,
      created: iso(d.createdAt),
      modified: iso(Math.max(...events)),
      status: hostile().status ?? statusAt(d, now),
      version: d.version,
      latestVersion: stateOf(d.stack).deploymentVersion,
      requestedBy: d.requestedBy,
      pulumiOperation: d.operation,
      initiator: d.initiator,
      configuration: configurationOf(d.request),
    };
    const jobs = jobsAt(d, now);
    if (jobs) body.jobs = jobs;
    // A status outside the spec's enum: marked so contract checks know it is on purpose.
    return hostile().status !== undefined ? { ...json(200, body), hostile: 'status' } : json(200, body);
  }

  function logs({ params, query }, token) {
    const { d, error: err } = lookup(params, token);
    if (err) return err;
    if (query.job !== undefined || query.step !== undefined) return stepLogs(d, query);
    const now = Date.now();
    let start = 0;
    if (query.continuationToken) {
      start = decodeToken(query.continuationToken, d.id);
      if (start === null || start > d.lines.length) return error(400, 'invalid continuation token');
    }
    const available = availableCount(d, now);
    const end = Math.min(available, start + logPageSize);
    const page = d.lines.slice(start, Math.max(start, end));
    for (const l of page) l.servedAt ??= now;
    const body = { __type: 'DeploymentLogs', lines: page.map(wireLine) };
    const finished = now >= d.endsAt && Math.max(start, end) >= d.lines.length;
    if (!finished) body.nextToken = encodeToken(Math.max(start, end), d.id);
    else if (hostile().endlessLogs) {
      // A stream that never says it is complete: a new token every time, maybe a line too.
      d.pagesAfterEnd = (d.pagesAfterEnd ?? 0) + 1;
      body.nextToken = encodeToken(d.lines.length, d.id, d.pagesAfterEnd);
      if (hostile().endlessLogs === 'lines') body.lines.push({ timestamp: iso(now), line: `still streaming after the end (${d.pagesAfterEnd})\n` });
    }
    return json(200, body);
  }

  function stepLogs(d, query) {
    const now = Date.now();
    const job = Number(query.job ?? 0);
    const step = Number(query.step ?? 0);
    const offset = Number(query.offset ?? 0);
    const count = Number(query.count ?? 100);
    if (!Number.isInteger(count) || count < 1 || count > 499) return error(400, 'Count must be less than 500 and more than 0');
    if (!Number.isInteger(offset) || offset < 0) return error(400, 'offset must be a non-negative integer');
    const jobs = jobsAt(d, now);
    if (job !== 0 || !jobs || !Number.isInteger(step) || !d.steps[step]) return error(404, 'Run not found');
    const lines = d.lines.slice(0, availableCount(d, now)).filter((l) => l.step === step && !l.header);
    const page = lines.slice(offset, offset + count);
    const body = { __type: 'DeploymentLogsStep', name: d.steps[step].name, lines: page.map((l) => ({ timestamp: iso(l.availableAt), line: `${l.text}\n` })) };
    const stepDone = d.steps[step].endAt !== null && now >= d.steps[step].endAt;
    if (offset + page.length < lines.length || !stepDone) body.nextOffset = offset + page.length;
    return json(200, body);
  }

  function updates({ params }, token) {
    const { d, error: err } = lookup(params, token);
    if (err) return err;
    const now = Date.now();
    // Updates appear once the run is over, and only if the Pulumi operation ever ran.
    if (now < d.endsAt || d.startedAt === null) return json(200, []);
    const latestVersion = stateOf(d.stack).updateVersion;
    return json(
      200,
      d.updates.map((u) => ({
        info: {
          kind: u.kind,
          message: u.message ?? '',
          environment: { 'exec.kind': 'auto.local', 'pulumi.version': 'v3.190.0', 'git.head': 'a3c2f1e0b9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4' },
          config: {},
          result: d.cancelledAt !== null ? 'failed' : (u.result ?? (d.outcome === 'succeeded' ? 'succeeded' : 'failed')),
          startTime: Math.floor((d.steps.at(-1)?.startAt ?? d.startedAt) / 1000),
          endTime: Math.floor(d.endsAt / 1000),
          version: u.version,
          resourceChanges: { ...u.resourceChanges },
          ...(u.resourceCount !== undefined ? { resourceCount: u.resourceCount } : {}),
        },
        updateID: u.updateID,
        version: u.version,
        latestVersion,
        requestedBy: d.requestedBy,
      })),
    );
  }

  function cancel({ params }, token) {
    const { d, error: err } = lookup(params, token);
    if (err) return err;
    const now = Date.now();
    const latency = (d.scenario.cancelLatencyMs ?? 500) / timeScale;
    // Cancelling a finished deployment is accepted and changes nothing (but is recorded).
    if (!applyCancel(d, now, latency)) {
      d.cancelRequestedAt ??= now;
      d.cancelIgnoredAt ??= now;
    }
    return { status: 200 };
  }

  /** The stack's deployments, newest first (ListStackDeploymentsHandlerV2); `pageSize` 1-100, default 10. */
  function list({ params, query }, token) {
    const stack = `${params.org}/${params.project}/${params.stack}`;
    if (token.organization !== params.org) return error(403, `Forbidden: the token is not valid for organization '${params.org}'`);
    if (!stacks.has(stack)) return error(404, `Stack '${stack}' not found`);
    const pageSize = Math.min(100, Math.max(1, Number(query.pageSize ?? 10) || 10));
    const page = Math.max(1, Number(query.page ?? 1) || 1);
    const now = Date.now();
    const all = [...deployments.values()].filter((d) => d.stack === stack).sort((a, b) => b.createdAt - a.createdAt);
    const snapshots = all.slice((page - 1) * pageSize, page * pageSize).map((d) => ({
      id: d.id,
      created: iso(d.createdAt),
      modified: iso(Math.min(now, d.endsAt ?? now)),
      status: hostile().status ?? statusAt(d, now),
      version: d.version,
      requestedBy: d.requestedBy,
      projectName: d.project,
      stackName: d.stackName,
      pulumiOperation: d.operation,
      initiator: d.initiator,
      jobs: jobsAt(d, now) ?? [],
      updates: [],
    }));
    const result = json(200, { deployments: snapshots, itemsPerPage: pageSize, total: all.length });
    return hostile().status !== undefined ? { ...result, hostile: 'status' } : result;
  }

  return { deployments, create, get, logs, updates, cancel, list };
}

// Body rows end with a newline, as the service sends them; a header row has no `line`.
function wireLine(l) {
  const out = { timestamp: iso(l.availableAt) };
  if (l.header) out.header = l.header;
  else out.line = `${l.text}\n`;
  return out;
}

function configurationOf(request) {
  const env = request.operationContext?.environmentVariables ?? {};
  const environmentVariables = Object.entries(env).map(([name, v]) =>
    typeof v === 'string' ? { name, secret: false, value: v } : v?.secret !== undefined ? { name, secret: true } : { name, secret: false, value: String(v?.plaintext ?? '') },
  );
  const out = { environmentVariables };
  const git = request.sourceContext?.git;
  if (git?.repoUrl) {
    out.source = { git: { repoURL: git.repoUrl } };
    for (const key of ['branch', 'commit', 'repoDir']) if (git[key]) out.source.git[key] = git[key];
  }
  return out;
}

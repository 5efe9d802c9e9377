// The answers the action reads while it follows a deployment and in post, checked against the
// official spec's response schemas (spec/pulumi-cloud-openapi.trimmed.json): each field the
// action reads has the spec's type, required where the spec requires it. Known deviations of the
// real service from the spec (docs in /work/shared/REFERENCE.md, patches in
// test/support/openapi-contract.ts) are honoured: continuation tokens may be null or absent,
// Go nil maps and slices may be null.
import * as v from 'valibot';
import { checker, count, map, maybeString, object } from './check.js';

const userInfo = object({ githubLogin: v.string(), name: v.string(), avatarUrl: v.string() });
const stepRun = object({ name: v.string(), status: v.string() });
const job = object({ status: v.string(), steps: v.array(stepRun) });

/** GetDeploymentResponse. */
export const deployment = checker(
  object({
    id: v.string(),
    status: v.string(),
    version: count(),
    latestVersion: count(),
    created: v.string(),
    modified: v.string(),
    requestedBy: userInfo,
    jobs: v.nullish(v.array(job)),
  }),
);

/** ListDeploymentResponseV2: post reads each one's id, status, creation time and requester. */
export const deploymentList = checker(
  object({
    deployments: v.array(object({ id: v.string(), status: v.string(), version: count(), created: v.string(), modified: v.string(), requestedBy: userInfo })),
    itemsPerPage: count(),
    total: count(),
  }),
);

/** User: post compares its githubLogin with a deployment's requester. */
export const currentUser = checker(object({ githubLogin: v.string(), name: v.string(), id: v.string() }));

/** StackDeploymentsMetadataResponse: whether the stack's deployments, or its organization's, are paused. */
export const stackQueueState = checker(object({ paused: v.boolean(), stackPaused: v.boolean(), organizationPaused: v.boolean() }));

/** OrgDeploymentsMetadataResponse: the organization's pause, its concurrency limit and how many deployments run or wait. */
export const orgQueueState = checker(object({ paused: v.boolean(), concurrency: count(), deploymentCounts: object({ notStarted: count(), accepted: count(), running: count() }) }));

/** DeploymentLogs: a page of lines; the last page has no token. */
export const logPage = checker(
  object({
    lines: v.nullish(v.array(object({ header: maybeString(), line: maybeString(), timestamp: maybeString() }))),
    nextToken: maybeString(),
  }),
);

/** The counts per operation of an update or a summary event. */
const resourceChanges = map(count());

/** UpdateInfo[]: the verdict reads the last one's kind, result and counts. */
export const updates = checker(
  v.nullable(
    v.array(
      object({
        updateID: v.string(),
        version: count(),
        latestVersion: count(),
        info: object({
          kind: v.string(),
          result: v.string(),
          startTime: count(),
          endTime: count(),
          version: count(),
          message: v.string(),
          resourceChanges: v.nullish(resourceChanges),
          resourceCount: v.nullish(count()),
        }),
      }),
    ),
  ),
);

/** A resource step's metadata (AppStepEventMetadata); Go nil maps and slices come as null. */
const stepMetadata = object({
  op: v.string(),
  urn: v.string(),
  type: v.string(),
  diffs: v.nullish(v.array(v.string())),
  keys: v.nullish(v.array(v.string())),
  detailedDiff: v.nullish(map(object({ diffKind: v.optional(v.string()) }))),
  old: v.nullish(object({})),
  new: v.nullish(object({ outputs: v.nullish(map(v.unknown())) })),
});

/** GetUpdateEventsResponse: each event the report reads, by its type's payload. */
export const eventPage = checker(
  object({
    continuationToken: maybeString(),
    events: v.array(
      object({
        type: v.string(),
        timestamp: count(),
        sequence: v.optional(count()),
        resourcePreEvent: v.optional(object({ metadata: stepMetadata })),
        resOutputsEvent: v.optional(object({ metadata: stepMetadata })),
        resOpFailedEvent: v.optional(object({ metadata: object({ urn: v.string() }) })),
        diagnosticEvent: v.optional(object({ message: v.string(), severity: v.string(), urn: v.optional(v.string()) })),
        policyEvent: v.optional(
          object({ message: v.string(), policyName: v.string(), policyPackName: v.string(), enforcementLevel: v.string(), resourceUrn: v.optional(v.string()) }),
        ),
        summaryEvent: v.optional(object({ resourceChanges, result: v.string(), isPreview: v.boolean(), durationSeconds: count() })),
      }),
    ),
  }),
);

import type { UpdateInfo } from '../../src/domain/outcome.js';

/** A complete UpdateInfo as the service returns it, with the fields the report reads set by the test. */
export function update(fields: {
  version: number;
  kind?: UpdateInfo['info']['kind'];
  result?: UpdateInfo['info']['result'];
  resourceChanges?: Record<string, number>;
  startTime?: number;
  updateID?: string;
}): UpdateInfo {
  return {
    info: {
      config: {},
      endTime: (fields.startTime ?? 1_700_000_000) + 60,
      environment: {},
      kind: fields.kind ?? 'update',
      message: '',
      ...(fields.resourceChanges ? { resourceChanges: fields.resourceChanges } : {}),
      result: fields.result ?? 'succeeded',
      startTime: fields.startTime ?? 1_700_000_000,
      version: fields.version,
    },
    latestVersion: fields.version,
    requestedBy: { avatarUrl: '', githubLogin: 'bot', name: 'bot' },
    updateID: fields.updateID ?? `upd-${fields.version}`,
    version: fields.version,
  };
}

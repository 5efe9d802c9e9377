export function packageFolder(inputPath: string): string | undefined;
export function licenseName(pkg: { license?: unknown; licenses?: unknown }): string;
export function thirdPartyNotices(metafile: { inputs: Record<string, unknown> }, root: string): string;
export const NOTICES_FILE: string;

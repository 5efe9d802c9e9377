export function checkVersion(tag: string, packageVersion: string): string;
export function changelogSection(changelog: string, version: string): string;

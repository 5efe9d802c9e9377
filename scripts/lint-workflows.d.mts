export interface Finding {
  file: string;
  line?: number;
  column?: number;
  message: string;
}
export function lintWorkflow(path: string): Promise<Finding[]>;
export function unpinnedActions(path: string): Finding[];
export function permissionFindings(path: string): Finding[];
export function validateActionYml(path: string): Finding[];

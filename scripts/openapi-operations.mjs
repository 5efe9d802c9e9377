// The paths of an OpenAPI description that hold the given operations, and nothing else: what both
// spec trimming scripts keep. Throws when an operation is missing from the description.
export function pickOperations(spec, operationIds, pick = (op) => op) {
  const paths = {};
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (op && typeof op === 'object' && operationIds.includes(op.operationId)) (paths[path] ??= {})[method] = pick(op);
    }
  }
  const found = Object.values(paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
  const missing = operationIds.filter((id) => !found.includes(id));
  if (missing.length) throw new Error(`operations not in the description: ${missing.join(', ')}`);
  return { paths, found };
}

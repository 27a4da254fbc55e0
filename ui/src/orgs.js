// Helpers over the org list from GET /api/v1/orgs (tree order: parents before children).
export const LEVELS = ['ministry', 'province', 'center'];

export function buildTree(items) {
  const byCode = new Map();
  for (const o of items) byCode.set(o.code, { ...o, children: [] });
  const roots = [];
  for (const o of items) {
    const node = byCode.get(o.code);
    const parent = o.parent ? byCode.get(o.parent) : null;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  // el-table shows an expander for any `children` array; drop empty ones.
  const prune = (n) => { if (!n.children.length) delete n.children; else n.children.forEach(prune); };
  roots.forEach(prune);
  return roots;
}

// Depth of each org inside the list (roots of the caller's scope are depth 0).
export function depths(items) {
  const depth = new Map();
  for (const o of items) depth.set(o.code, o.parent && depth.has(o.parent) ? depth.get(o.parent) + 1 : 0);
  return depth;
}

// Codes of `code` and every org below it in the list.
export function subtree(items, code) {
  const set = new Set([code]);
  for (const o of items) if (o.parent && set.has(o.parent)) set.add(o.code);
  return set;
}

export function countByLevel(items) {
  const c = { ministry: 0, province: 0, center: 0 };
  for (const o of items) if (o.level in c) c[o.level] += 1;
  return c;
}

// Fails when the router table (`ixapid routes` output) and openapi/ixapi.json
// disagree on the set of (method, path) operations, or on their operationIds.
// Usage: node check-routes.mjs ROUTES_FILE
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const doc = JSON.parse(readFileSync(join(here, '../../openapi/ixapi.json'), 'utf8'));
const routesFile = process.argv[2];
if (!routesFile) {
  console.error('usage: check-routes.mjs ROUTES_FILE');
  process.exit(2);
}
const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace'];

const fromRouter = new Map();
for (const line of readFileSync(routesFile, 'utf8').split('\n')) {
  const cols = line.trim().split(/\s+/);
  if (cols.length < 2 || !cols[0]) continue;
  fromRouter.set(`${cols[0].toUpperCase()} ${cols[1]}`, cols[3] ?? null);
}
const fromDoc = new Map();
for (const [path, item] of Object.entries(doc.paths ?? {})) {
  for (const m of METHODS) {
    if (item[m]) fromDoc.set(`${m.toUpperCase()} ${path}`, item[m].operationId ?? null);
  }
}
const problems = [];
for (const [k, op] of fromRouter) {
  if (!fromDoc.has(k)) problems.push(`served but not documented: ${k}`);
  else if (op && fromDoc.get(k) !== op) problems.push(`operationId differs for ${k}: router ${op}, document ${fromDoc.get(k)}`);
}
for (const k of fromDoc.keys()) {
  if (!fromRouter.has(k)) problems.push(`documented but not served: ${k}`);
}
if (fromRouter.size === 0) problems.push(`no routes read from ${routesFile}`);
if (problems.length) {
  for (const p of problems) console.error(`check-routes: ${p}`);
  process.exit(1);
}
console.log(`check-routes: router and document agree on ${fromRouter.size} operations`);

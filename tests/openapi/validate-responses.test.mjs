// Self-test of validate-responses.mjs: given the route table, it fails when
// an operation has no recorded response and names it; it passes when every
// operation has one. Run by run.sh before the real check.
// Usage: node validate-responses.test.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'validate-responses-'));
const log = join(dir, 'responses.jsonl');
writeFileSync(log, JSON.stringify({ method: 'GET', route: '/extensions', status: 200, content_type: 'application/json', body: [] }) + '\n');

function run(routes) {
  const file = join(dir, 'routes.txt');
  writeFileSync(file, routes.join('\n') + '\n');
  return spawnSync(process.execPath, [join(here, 'validate-responses.mjs'), log, file], { encoding: 'utf8' });
}

let failed = 0;
const expect = (ok, what, r) => {
  if (ok) return;
  failed++;
  console.error(`validate-responses.test: ${what}\n  exit ${r.status}\n  stdout: ${r.stdout}\n  stderr: ${r.stderr}`);
};

const covered = run(['GET /extensions member api_extensions_list']);
expect(covered.status === 0, 'every operation recorded: expected success', covered);

const gap = run(['GET /extensions member api_extensions_list', 'GET /implementation member api_implementation_read']);
expect(gap.status === 1, 'GET /implementation never recorded: expected failure', gap);
expect(/GET \/implementation \(api_implementation_read\) has no recorded response/.test(gap.stderr),
  'the failure names the operation no test exercised', gap);
expect(!/GET \/extensions .*no recorded response/.test(gap.stderr), 'a recorded operation is not named', gap);

rmSync(dir, { recursive: true, force: true });
if (failed) process.exit(1);
console.log('validate-responses.test: an operation no test exercises fails the check');

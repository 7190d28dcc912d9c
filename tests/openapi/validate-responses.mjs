// Validates every response the integration tests recorded (JSON lines:
// {method, route, status, content_type, body}) against openapi/ixapi.json:
// the status must be documented for the operation, the media type must
// match, and the body must satisfy the schema.
// Usage: node validate-responses.mjs LOGFILE
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const here = dirname(fileURLToPath(import.meta.url));
const doc = JSON.parse(readFileSync(join(here, '../../openapi/ixapi.json'), 'utf8'));
const logFile = process.argv[2];
if (!logFile) {
  console.error('usage: validate-responses.mjs LOGFILE');
  process.exit(2);
}

// OpenAPI 3.0 schema -> JSON Schema: `nullable: true` becomes a type union,
// refs point into one registered document.
function convert(node) {
  if (Array.isArray(node)) return node.map(convert);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref') out.$ref = v.replace('#/components/schemas/', 'components#/definitions/');
    else if (['nullable', 'example', 'deprecated', 'readOnly', 'writeOnly', 'xml', 'externalDocs'].includes(k)) continue;
    else out[k] = convert(v);
  }
  if (node.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (out.enum) out.enum = [...out.enum, null];
    if (out.allOf) return { anyOf: [{ type: 'null' }, out] };
  }
  return out;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'components', definitions: convert(doc.components.schemas) });

function resolveResponse(resp) {
  while (resp && resp.$ref) {
    const name = resp.$ref.replace('#/components/responses/', '');
    resp = doc.components.responses[name];
  }
  return resp;
}

const lines = readFileSync(logFile, 'utf8').split('\n').filter((l) => l.trim());
if (lines.length === 0) {
  console.error(`validate-responses: ${logFile} is empty: the integration tests recorded nothing`);
  process.exit(1);
}
const validators = new Map();
const pairs = new Set();
let failures = 0;
lines.forEach((line, i) => {
  const fail = (msg) => {
    failures++;
    console.error(`validate-responses: line ${i + 1}: ${msg}`);
  };
  let entry;
  try {
    entry = JSON.parse(line);
  } catch (e) {
    return fail(`not JSON: ${e.message}`);
  }
  const { method, route, status, content_type: contentType, body } = entry;
  const op = doc.paths?.[route]?.[String(method).toLowerCase()];
  if (!op) return fail(`${method} ${route} is not in the document`);
  const resp = resolveResponse(op.responses[String(status)] ?? op.responses.default);
  if (!resp) return fail(`${method} ${route} answered ${status}, which the document does not list`);
  pairs.add(`${method} ${route} ${status}`);
  const media = String(contentType ?? '').split(';')[0].trim().toLowerCase();
  const content = resp.content ?? {};
  if (!content[media]) {
    return fail(`${method} ${route} ${status}: content type '${media}', document has ${Object.keys(content).join(', ')}`);
  }
  const key = `${method} ${route} ${status} ${media}`;
  if (!validators.has(key)) validators.set(key, ajv.compile(convert(content[media].schema ?? {})));
  const validate = validators.get(key);
  if (!validate(body)) {
    fail(`${method} ${route} ${status}: ${ajv.errorsText(validate.errors)}\n  body: ${JSON.stringify(body).slice(0, 500)}`);
  }
});
console.log(`validate-responses: ${lines.length} responses checked, ${pairs.size} distinct operation/status pairs, ${failures} failures`);
process.exit(failures ? 1 : 0);

// Validates every response the integration tests recorded (JSON lines:
// {method, route, status, content_type, body}) against openapi/ixapi.json:
// the status must be documented for the operation, the media type must
// match, and the body must satisfy the schema. Then against the official
// IX-API 2.1.0 document (official/), for every operation and status it
// also has. Given the route table (`ixapid routes`), it also fails when an
// operation of it has no recorded response at all: an operation no test
// exercises is an operation nothing checks.
// Usage: node validate-responses.mjs LOGFILE [ROUTES_FILE]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const here = dirname(fileURLToPath(import.meta.url));
const ours = JSON.parse(readFileSync(join(here, '../../openapi/ixapi.json'), 'utf8'));
const official = JSON.parse(readFileSync(join(here, 'official/ix-api-2.1.0.json'), 'utf8'));
const logFile = process.argv[2];
const routesFile = process.argv[3];
if (!logFile) {
  console.error('usage: validate-responses.mjs LOGFILE [ROUTES_FILE]');
  process.exit(2);
}

// OpenAPI 3.0 schema -> JSON Schema: `nullable: true` becomes a type union,
// refs point into one registered document, and a oneOf with a discriminator
// mapping becomes what OpenAPI means by it: the value of the property picks
// the one schema to check (2.1.0's virtual-circuit offerings have identical
// schemas, so a plain oneOf would match several and fail).
function convert(node) {
  if (Array.isArray(node)) return node.map(convert);
  if (!node || typeof node !== 'object') return node;
  if (node.oneOf && node.discriminator?.mapping) {
    const prop = node.discriminator.propertyName;
    const mapping = node.discriminator.mapping;
    return {
      type: 'object',
      required: [prop],
      properties: { [prop]: { enum: Object.keys(mapping) } },
      allOf: Object.entries(mapping).map(([value, target]) => ({
        if: { properties: { [prop]: { const: value } }, required: [prop] },
        then: convert({ $ref: target }),
      })),
    };
  }
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

function resolveResponse(doc, resp) {
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
// Where the official 2.1.0 document is wrong or contradicts what we were
// asked to build, and 2.7.1 or the issue decides; each with its reason.
const OFFICIAL_ERRATA = [
  // 2.1.0 documents these reads as returning a list; 2.7.1 returns the object.
  { method: 'GET', route: '/facilities/{id}', status: 200 },
  { method: 'GET', route: '/metro-areas/{id}', status: 200 },
  // 2.1.0's schema types each check as an object of strings while its own
  // description (and draft-inadarei-api-health-check) makes it an array of
  // objects; we follow the draft, as the foundation issue asks.
  { method: 'GET', route: '/health', status: 200 },
  { method: 'GET', route: '/health', status: 503 },
];
// Polymorphic types 2.7.1 added (2.1.0 cannot describe them): such items
// are left out of what is checked against 2.1.0; ours checks them fully.
const TYPES_SINCE_271 = new Set(['connection', 'routing_function']);
const withoutNewTypes = (body) =>
  Array.isArray(body)
    ? body.filter((item) => !(item && TYPES_SINCE_271.has(item.type)))
    : body && TYPES_SINCE_271.has(body.type) ? undefined : body;

const isErratum = (method, route, status) =>
  OFFICIAL_ERRATA.some((e) => e.method === method && e.route === route && e.status === status);

// Checks every line against doc. strict: a status or operation the
// document lacks is a failure (our document); otherwise it is skipped
// (the official one, which predates 2.7.1).
function check(doc, label, strict) {
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'components', definitions: convert(doc.components.schemas) });
const validators = new Map();
const pairs = new Set();
let failures = 0;
let checked = 0;
lines.forEach((line, i) => {
  const fail = (msg) => {
    failures++;
    console.error(`validate-responses (${label}): line ${i + 1}: ${msg}`);
  };
  let entry;
  try {
    entry = JSON.parse(line);
  } catch (e) {
    return fail(`not JSON: ${e.message}`);
  }
  const { method, route, status, content_type: contentType, body } = entry;
  const op = doc.paths?.[route]?.[String(method).toLowerCase()];
  if (!op) return strict ? fail(`${method} ${route} is not in the document`) : undefined;
  const resp = resolveResponse(doc, op.responses[String(status)] ?? op.responses.default);
  if (!resp) return strict ? fail(`${method} ${route} answered ${status}, which the document does not list`) : undefined;
  if (!strict && isErratum(method, route, status)) return undefined;
  checked++;
  pairs.add(`${method} ${route} ${status}`);
  let media = String(contentType ?? '').split(';')[0].trim().toLowerCase();
  const content = resp.content ?? {};
  // 2.1.0 labels its problem bodies application/json; RFC 7807 (and the
  // foundation issue) say application/problem+json. Same body either way.
  if (!strict && media === 'application/problem+json' && !content[media] && content['application/json']) {
    media = 'application/json';
  }
  if (!content[media]) {
    return fail(`${method} ${route} ${status}: content type '${media}', document has ${Object.keys(content).join(', ')}`);
  }
  // Binary documents (an LOA's PDF) are checked for their media type only.
  if (!media.endsWith('json')) return undefined;
  const checkedBody = strict ? body : withoutNewTypes(body);
  if (checkedBody === undefined) return undefined;
  const key = `${method} ${route} ${status} ${media}`;
  if (!validators.has(key)) validators.set(key, ajv.compile(convert(content[media].schema ?? {})));
  const validate = validators.get(key);
  if (!validate(checkedBody)) {
    fail(`${method} ${route} ${status}: ${ajv.errorsText(validate.errors)}\n  body: ${JSON.stringify(body).slice(0, 500)}`);
  }
});
console.log(`validate-responses (${label}): ${checked} of ${lines.length} responses checked, ${pairs.size} distinct operation/status pairs, ${failures} failures`);
return failures;
}

// Every operation of the route table (lines "METHOD PATH PRIVILEGE
// OPERATION_ID") has at least one recorded response, whatever its status.
function unexercised(file) {
  const recorded = new Set();
  for (const line of lines) {
    try {
      const { method, route } = JSON.parse(line);
      recorded.add(`${method} ${route}`);
    } catch {
      // reported by check()
    }
  }
  const operations = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((cols) => cols.length >= 2 && cols[0]);
  if (operations.length === 0) {
    console.error(`validate-responses: no routes read from ${file}`);
    return 1;
  }
  const missing = operations.filter(([method, path]) => !recorded.has(`${method} ${path}`));
  for (const [method, path, , operationId] of missing) {
    console.error(`validate-responses: ${method} ${path} (${operationId ?? '?'}) has no recorded response: no test exercises it`);
  }
  console.log(`validate-responses: ${operations.length - missing.length} of ${operations.length} operations of the route table exercised`);
  return missing.length;
}

const failures =
  check(ours, 'openapi/ixapi.json', true) +
  check(official, 'official IX-API 2.1.0', false) +
  (routesFile ? unexercised(routesFile) : 0);
process.exit(failures ? 1 : 0);

// check-otlp.js: checks an OTLP/JSON export request against the OTLP protobuf definitions
// (the generated protobufjs code of @opentelemetry/otlp-proto-exporter-base, pinned in
// package-lock.json), then prints it as a collector decodes it.
//
//   node check-otlp.js traces|metrics FILE
//
// Every field must be one the definitions know, with a value of the right type; the message must
// survive protobuf encoding and decoding unchanged. OTLP/JSON writes trace and span ids as hex
// where proto3's JSON mapping would write base64, so the ids are converted before the check and
// back in the output. Exit status 0: valid (the decoded request is on stdout); 1: not (why, on
// stderr).
'use strict';

const fs = require('fs');
const path = require('path');
const root = require(path.join(__dirname, 'node_modules', '@opentelemetry',
  'otlp-proto-exporter-base', 'build', 'src', 'generated', 'root.js'));

const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);
const TYPES = {
  traces: root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest,
  metrics: root.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest,
};

function fail(message) {
  process.stderr.write(message + '\n');
  process.exit(1);
}

// Applies `convert` to every id field of `value`, in place.
function mapIds(value, convert, where) {
  if (Array.isArray(value)) {
    value.forEach((item, i) => mapIds(item, convert, `${where}[${i}]`));
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      if (ID_FIELDS.has(key)) value[key] = convert(value[key], `${where}.${key}`);
      else mapIds(value[key], convert, `${where}.${key}`);
    }
  }
}

function hexToBase64(text, where) {
  if (typeof text !== 'string' || !/^([0-9a-f]{2})*$/.test(text)) {
    fail(`${where}: an id must be lowercase hex, got ${JSON.stringify(text)}`);
  }
  const expected = where.endsWith('.traceId') ? 32 : 16;
  if (text.length !== expected) fail(`${where}: ${text.length} hex digits, want ${expected}`);
  if (/^0+$/.test(text)) fail(`${where}: an all-zero id is invalid`);
  return Buffer.from(text, 'hex').toString('base64');
}

function base64ToHex(text) {
  return Buffer.from(text, 'base64').toString('hex');
}

function isDefault(value) {
  return value === 0 || value === '0' || value === '' || value === false ||
    (Array.isArray(value) && value.length === 0);
}

// Every field of `sent` must come back from the protobuf round trip with the same value: a field
// the definitions do not know (a misspelling) or a value of the wrong type would not.
function compare(sent, back, where) {
  if (Array.isArray(sent)) {
    if (!Array.isArray(back) || back.length !== sent.length) {
      fail(`${where}: the array did not survive the protobuf round trip`);
    }
    sent.forEach((item, i) => compare(item, back[i], `${where}[${i}]`));
    return;
  }
  if (sent !== null && typeof sent === 'object') {
    if (back === null || typeof back !== 'object') fail(`${where}: not a message`);
    for (const key of Object.keys(sent)) {
      if (!(key in back)) {
        if (isDefault(sent[key])) continue;  // proto3 does not carry default values
        fail(`${where}.${key}: not a field of the OTLP definitions (or a value of the wrong type)`);
      }
      compare(sent[key], back[key], `${where}.${key}`);
    }
    return;
  }
  if (String(sent) !== String(back)) {
    fail(`${where}: sent ${JSON.stringify(sent)}, the protobuf carries ${JSON.stringify(back)}`);
  }
}

function main() {
  const [kind, file] = process.argv.slice(2);
  const Type = TYPES[kind];
  if (!Type || !file) fail('usage: node check-otlp.js traces|metrics FILE');
  let sent;
  try {
    sent = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    fail(`not JSON: ${e.message}`);
  }
  mapIds(sent, hexToBase64, '$');
  // Enums must be numbers in OTLP/JSON; fromObject would also take names.
  const problem = Type.verify(Type.fromObject(sent));
  if (problem) fail(`invalid ${Type.name}: ${problem}`);
  const message = Type.fromObject(sent);
  const wire = Type.encode(message).finish();
  const decoded = Type.decode(wire);
  const options = { longs: String, enums: Number, bytes: String };
  compare(sent, Type.toObject(decoded, options), '$');
  const out = Type.toObject(decoded, options);
  mapIds(out, base64ToHex, '$');
  process.stdout.write(JSON.stringify(out) + '\n');
}

main();

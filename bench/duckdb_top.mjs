// DuckDB's version of `kubeblame top --by agent,verb,resource --top 0`, for bench/run.sh.
//
//   node bench/duckdb_top.mjs [--check KUBEBLAME.json] [--threads N] [--out FILE] AUDIT.jsonl[.gz]
//   node bench/duckdb_top.mjs --az [--check …] [--threads N] [--out FILE] AKSAUDIT-AZ.json
//   node bench/duckdb_top.mjs --version
//
// Reads raw audit.k8s.io/v1 Event JSON lines with read_json and EXPLICIT columns (the fastest way a
// skilled DuckDB user would write it), or with --az AKSAudit rows as `az monitor log-analytics
// query -o json` prints them (read_json with format 'array'; every value a string, the dynamic
// columns JSON text read with json_extract_string), applies the counting rules of docs/counting.md and dimensions, and prints CSV
// rows (agent,verb,resource,requests,errors,p99_ms) to stdout or --out, sorted like kubeblame
// (requests descending, then the key). On stderr, one line with the timings:
//   duckdb_top: startup_ms=… query_ms=… rows=… version=…
// startup_ms is node start-up + loading DuckDB + creating the instance and connection (measured from
// the process's time origin); query_ms is the SQL alone, from submitting it to having every row.
//
// With --check, compares the rows with kubeblame's `top --by agent,verb,resource --top 0 --format
// json` document: the same groups with the same requests and errors exactly, and p99 within 2%
// (kubeblame's latency sketch keeps values exactly up to 64 per group and is within 0.8% beyond;
// both use the nearest-rank definition: DuckDB's quantile_disc is the ceil(q·n)-th smallest value,
// as kubeblame's LatencySketch::quantile). Exits 1 and lists the differences when they disagree.
//
// @duckdb/node-api is loaded from $DUCKDB_NODE_DIR (default: bench/.cache/node, where run.sh
// installs it with `npm install --prefix`).
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = dirname(fileURLToPath(import.meta.url));
const nodeDir = process.env.DUCKDB_NODE_DIR || join(here, '.cache', 'node');

function usage(code) {
  (code === 0 ? process.stdout : process.stderr).write(
    'usage: node duckdb_top.mjs [--az] [--check KUBEBLAME.json] [--threads N] [--out FILE] AUDIT.jsonl[.gz]\n' +
      '       node duckdb_top.mjs --version\n');
  process.exit(code);
}

const args = { check: null, threads: null, out: null, file: null, version: false, az: false };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; ++i) {
  const a = argv[i];
  if (a === '--help' || a === '-h') usage(0);
  else if (a === '--version') args.version = true;
  else if (a === '--az') args.az = true;
  else if (a === '--check' || a === '--threads' || a === '--out') {
    if (i + 1 >= argv.length) usage(2);
    args[a.slice(2)] = argv[++i];
  } else if (a.startsWith('-')) usage(2);
  else if (args.file === null) args.file = a;
  else usage(2);
}
if (!args.version && args.file === null) usage(2);

let duckdb;
try {
  const require = createRequire(join(nodeDir, 'package.json'));
  duckdb = await import(pathToFileURL(require.resolve('@duckdb/node-api')).href);
} catch (e) {
  process.stderr.write(`duckdb_top: cannot load @duckdb/node-api from ${nodeDir}: ${e.message}\n` +
    `install it with: npm install --prefix ${nodeDir} @duckdb/node-api\n`);
  process.exit(2);
}
if (args.version) {
  process.stdout.write(`${duckdb.version()}\n`);
  process.exit(0);
}

const options = {};
if (args.threads) options.threads = String(args.threads);
const instance = await duckdb.DuckDBInstance.create(':memory:', options);
const connection = await instance.connect();
const startupMs = performance.now();

// SQL string literal for the path (read_json's argument must be a constant).
const path = `'${args.file.replaceAll("'", "''")}'`;
// The raw lines' columns, straight from the events.
const rawEvents = `
  SELECT * FROM read_json(${path},
    format = 'newline_delimited',
    columns = {
      stage: 'VARCHAR',
      verb: 'VARCHAR',
      userAgent: 'VARCHAR',
      requestURI: 'VARCHAR',
      objectRef: 'STRUCT(resource VARCHAR, subresource VARCHAR, apiGroup VARCHAR)',
      responseStatus: 'STRUCT(code INTEGER)',
      requestReceivedTimestamp: 'TIMESTAMP',
      stageTimestamp: 'TIMESTAMP'
    })`;
// The same columns from AKSAudit az rows: str()'d values ('None' for null), dynamics as JSON text.
const azEvents = `
  SELECT nullif(Stage, 'None') AS stage,
         nullif(Verb, 'None') AS verb,
         nullif(nullif(UserAgent, 'None'), '') AS userAgent,
         nullif(RequestUri, 'None') AS requestURI,
         CASE WHEN ObjectRef <> 'None' THEN {
           'resource': json_extract_string(ObjectRef, '$.resource'),
           'subresource': json_extract_string(ObjectRef, '$.subresource'),
           'apiGroup': json_extract_string(ObjectRef, '$.apiGroup')} END AS objectRef,
         CASE WHEN ResponseStatus <> 'None' THEN {
           'code': TRY_CAST(json_extract_string(ResponseStatus, '$.code') AS INTEGER)} END
           AS responseStatus,
         RequestReceivedTime AS requestReceivedTimestamp,
         StageReceivedTime AS stageTimestamp
  FROM read_json(${path},
    format = 'array',
    columns = {
      Stage: 'VARCHAR',
      Verb: 'VARCHAR',
      UserAgent: 'VARCHAR',
      RequestUri: 'VARCHAR',
      ObjectRef: 'VARCHAR',
      ResponseStatus: 'VARCHAR',
      RequestReceivedTime: 'TIMESTAMP',
      StageReceivedTime: 'TIMESTAMP'
    })`;
const sql = `
WITH events AS (${args.az ? azEvents : rawEvents}
),
requests AS (
  SELECT
    -- agent: the user agent's product, text before the first '/', trailing spaces trimmed
    coalesce(nullif(rtrim(split_part(userAgent, '/', 1), ' '), ''), '(none)') AS agent,
    coalesce(nullif(verb, ''), '(none)') AS verb,
    -- resource, kubectl style; non-resource URLs: the request path without the query
    CASE WHEN coalesce(objectRef.resource, '') <> '' THEN
           objectRef.resource
           || CASE WHEN coalesce(objectRef.apiGroup, '') <> '' THEN '.' || objectRef.apiGroup ELSE '' END
           || CASE WHEN coalesce(objectRef.subresource, '') <> '' THEN '/' || objectRef.subresource ELSE '' END
         ELSE coalesce(nullif(split_part(requestURI, '?', 1), ''), '(none)')
    END AS resource,
    coalesce(responseStatus.code, 0) AS code,
    -- latency of non-long-running requests (not watch, not a 101 upgrade)
    CASE WHEN coalesce(verb, '') <> 'watch' AND coalesce(responseStatus.code, 0) <> 101
              AND stageTimestamp >= requestReceivedTimestamp
         THEN epoch_us(stageTimestamp) - epoch_us(requestReceivedTimestamp)
    END AS latency_us
  FROM events
  -- counting rule: ResponseComplete or Panic; ResponseStarted with 401; or no stage at all
  WHERE stage IS NULL
     OR stage IN ('ResponseComplete', 'Panic')
     OR (stage = 'ResponseStarted' AND responseStatus.code = 401)
)
SELECT agent, verb, resource,
       count(*) AS requests,
       count(*) FILTER (WHERE code >= 400) AS errors,
       quantile_disc(latency_us, 0.99) / 1000.0 AS p99_ms
FROM requests
GROUP BY agent, verb, resource
ORDER BY requests DESC, agent, verb, resource`;

const queryStart = performance.now();
const reader = await connection.runAndReadAll(sql);
const rows = reader.getRowsJS().map(([agent, verb, resource, requests, errors, p99]) => ({
  agent, verb, resource, requests: Number(requests), errors: Number(errors),
  p99_ms: p99 === null ? null : Number(p99),
}));
const queryMs = performance.now() - queryStart;

function csvCell(s) {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
const csv = ['agent,verb,resource,requests,errors,p99_ms'];
for (const r of rows) {
  csv.push([csvCell(r.agent), csvCell(r.verb), csvCell(r.resource), r.requests, r.errors,
    r.p99_ms === null ? '' : r.p99_ms.toFixed(3)].join(','));
}
const text = csv.join('\n') + '\n';
if (args.out) writeFileSync(args.out, text);
else process.stdout.write(text);
process.stderr.write(`duckdb_top: startup_ms=${startupMs.toFixed(1)} query_ms=${queryMs.toFixed(1)} ` +
  `rows=${rows.length} version=${duckdb.version()}\n`);

if (args.check) process.exit(check(rows, JSON.parse(readFileSync(args.check, 'utf8'))));

function check(duck, doc) {
  const key = (a, v, r) => JSON.stringify([a, v, r]);
  const kb = new Map();
  for (const row of doc.rows) {
    kb.set(key(row.key.agent, row.key.verb, row.key.resource), row);
  }
  const problems = [];
  let worstP99 = 0;
  let comparedP99 = 0;
  const seen = new Set();
  for (const d of duck) {
    const k = key(d.agent, d.verb, d.resource);
    seen.add(k);
    const r = kb.get(k);
    if (!r) {
      problems.push(`only in DuckDB: ${k} requests=${d.requests}`);
      continue;
    }
    if (r.requests !== d.requests || r.errors !== d.errors) {
      problems.push(`${k}: requests ${r.requests} vs DuckDB ${d.requests}, errors ${r.errors} vs DuckDB ${d.errors}`);
    }
    const a = r.p99_ms ?? null;
    const b = d.p99_ms;
    if (b === null) {
      if (a !== null && a !== 0) problems.push(`${k}: p99 ${a} ms vs DuckDB none (no latency samples)`);
      continue;
    }
    if (a === null) {
      problems.push(`${k}: p99 none vs DuckDB ${b} ms`);
      continue;
    }
    comparedP99 += 1;
    // kubeblame prints milliseconds with 3 decimals (whole microseconds)
    const diff = Math.abs(a - b);
    const rel = diff / Math.max(Math.abs(b), 1e-9);
    if (diff > 0.0015) worstP99 = Math.max(worstP99, rel);
    if (diff > 0.0015 && rel > 0.02) {
      problems.push(`${k}: p99 ${a} ms vs DuckDB ${b} ms (${(rel * 100).toFixed(2)}%)`);
    }
  }
  for (const [k, r] of kb) {
    if (!seen.has(k)) problems.push(`only in kubeblame: ${k} requests=${r.requests}`);
  }
  if (doc.other && doc.other.requests) {
    problems.push(`kubeblame folded ${doc.other.requests} requests into (other): run it with --top 0`);
  }
  const total = duck.reduce((s, d) => s + d.requests, 0);
  if (problems.length > 0) {
    process.stderr.write(`duckdb_top: DuckDB and kubeblame DISAGREE (${problems.length} differences):\n`);
    for (const p of problems.slice(0, 30)) process.stderr.write(`  ${p}\n`);
    if (problems.length > 30) process.stderr.write(`  … and ${problems.length - 30} more\n`);
    return 1;
  }
  process.stderr.write(`duckdb_top: rows equal: ${duck.length} groups, ${total} requests; ` +
    `requests and errors identical, p99 compared on ${comparedP99} groups, ` +
    `largest difference ${(worstP99 * 100).toFixed(2)}%\n`);
  return 0;
}

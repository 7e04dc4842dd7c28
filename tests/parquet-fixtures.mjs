// parquet-fixtures - Parquet files from two independent writers, and what
// they hold, for the tests of the C reader (tests/0950-parquet.t)
//
// usage: node parquet-fixtures.mjs write DIR
//        node parquet-fixtures.mjs compare NAME.expect NAME.out
//        node parquet-fixtures.mjs mutate FILE DIR COUNT
//
// write makes, for each fixture NAME, DIR/NAME.parquet, DIR/NAME.cols (the
// columns to read, one a line) and DIR/NAME.expect (JSON: the columns, their
// kinds, and the rows as the file holds them: integers and times, in
// microseconds since the epoch, as strings; doubles as numbers; strings;
// null).  DuckDB fixtures are read back by DuckDB itself to say what they
// hold; hyparquet-writer fixtures hold what was given to the writer.
//
// compare reads what tests/unit/parquet-dump printed and exits 1 at the
// first row that differs from the expected rows.
//
// mutate writes COUNT damaged copies of FILE into DIR (the same ones each
// time): bytes changed, most of them in the footer and the page headers
// near the end, or the file cut short.

import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'

const N = 10000

// The DuckDB table: a CUR-like mix, with nulls, low- and high-cardinality
// strings, every timestamp unit, dates, decimals in INT32, INT64 and
// FIXED_LEN_BYTE_ARRAY, and nested columns the reader must list and skip.
const duckSelect = `
SELECT
  i::BIGINT AS id,
  CASE WHEN i % 10 = 3 THEN NULL ELSE '12345678901' || (i % 7)::VARCHAR END
    AS account,
  'usage-' || i::VARCHAR || repeat('é', (i % 5)::INTEGER) || chr(9) AS usage_type,
  CASE WHEN i % 11 = 0 THEN NULL ELSE i * 0.25 - 100.125 END::DOUBLE AS cost,
  (i % 1000 * 1.5 + 0.1)::REAL AS qty,
  CASE WHEN i % 13 = 0 THEN NULL
    ELSE (i * 7919 % 100003 - 50000)::INTEGER END AS n32,
  CASE WHEN i % 17 = 0 THEN NULL ELSE i % 3 = 0 END AS flag,
  TIMESTAMP '2026-10-01 00:00:00' + to_minutes(i * 37) AS ts,
  (TIMESTAMP '1969-12-31 23:00:00' + to_seconds(i))::TIMESTAMP_MS AS ts_ms,
  (TIMESTAMP_NS '2026-10-01 00:00:00.123456789' + to_microseconds(i))
    AS ts_ns,
  (TIMESTAMPTZ '2026-10-01 12:00:00+00' + to_hours(i)) AS ts_tz,
  DATE '2026-01-01' + (i % 400)::INTEGER AS day,
  (i * 12.3456 - 5000)::DECIMAL(12,4) AS dec64,
  (i % 1000 / 100)::DECIMAL(5,2) AS dec32,
  (i * 1234567.891 - 99999)::DECIMAL(30,3) AS dec128,
  CASE WHEN i % 2 = 0 THEN 1.5 ELSE 2.5 END::DOUBLE AS rate,
  [i, i + 1] AS tags,
  {'a': i, 'b': 'x'} AS st,
  'constant' AS const
FROM range(${N}) t(i)`

const duckCols = [
  ['id', 'int', 'id::VARCHAR'],
  ['account', 'string', 'account'],
  ['usage_type', 'string', 'usage_type'],
  ['cost', 'double', 'cost'],
  ['qty', 'double', 'qty::DOUBLE'],
  ['n32', 'int', 'n32::VARCHAR'],
  ['flag', 'int', 'flag::INTEGER::VARCHAR'],
  ['ts', 'time', 'epoch_us(ts)::VARCHAR'],
  ['ts_ms', 'time', 'epoch_us(ts_ms)::VARCHAR'],
  ['ts_ns', 'time', '(epoch_ns(ts_ns) // 1000)::VARCHAR'],
  ['ts_tz', 'time', 'epoch_us(ts_tz)::VARCHAR'],
  ['day', 'time', 'epoch_us(day::TIMESTAMP)::VARCHAR'],
  ['dec64', 'double', 'dec64::DOUBLE'],
  ['dec32', 'double', 'dec32::DOUBLE'],
  ['dec128', 'double', 'dec128::DOUBLE'],
  ['rate', 'double', 'rate'],
  ['const', 'string', 'const'],
  ['missing', 'null', 'NULL']
]

// name, COPY options
const duckFiles = [
  ['duck-uncompressed', "COMPRESSION uncompressed, ROW_GROUP_SIZE 2048"],
  ['duck-snappy', "COMPRESSION snappy, ROW_GROUP_SIZE 2048"],
  ['duck-gzip', "COMPRESSION gzip, ROW_GROUP_SIZE 4096"],
  ['duck-zstd', "COMPRESSION zstd, ROW_GROUP_SIZE 2048"],
  ['duck-one-group', "COMPRESSION zstd"],
  ['duck-v2-snappy', "COMPRESSION snappy, ROW_GROUP_SIZE 2048, PARQUET_VERSION v2"],
  ['duck-v2-zstd', "COMPRESSION zstd, PARQUET_VERSION v2"]
]

function save (dir, name, cols, kinds, rows) {
  fs.writeFileSync(path.join(dir, name + '.cols'), cols.join('\n') + '\n')
  fs.writeFileSync(path.join(dir, name + '.expect'),
    JSON.stringify({ columns: cols, kinds, rows }))
}

async function duck (dir) {
  const { DuckDBInstance } = await import('@duckdb/node-api')
  const db = await DuckDBInstance.create(':memory:')
  const c = await db.connect()
  await c.run("SET TimeZone = 'UTC'")
  await c.run('SET threads = 1')
  await c.run(`CREATE TABLE t AS ${duckSelect}`)
  for (const [name, opts] of duckFiles) {
    const file = path.join(dir, name + '.parquet')
    await c.run(`COPY t TO '${file}' (FORMAT PARQUET, ${opts})`)
    const sel = duckCols.map(([n, , e]) => `${e} AS "${n}"`).join(', ')
    const r = await c.runAndReadAll(
      `SELECT ${sel} FROM read_parquet('${file}')`)
    const rows = r.getRows().map(row => row.map(v =>
      typeof v === 'bigint' ? String(v) : v))
    save(dir, name, duckCols.map(c => c[0]), duckCols.map(c => c[1]), rows)
  }
  // The encodings and pages DuckDB chose, for the test's log.
  const m = await c.runAndReadAll(`
    SELECT file_name, count(DISTINCT row_group_id) AS groups,
      string_agg(DISTINCT encodings, ' ') AS encodings
    FROM parquet_metadata('${dir}/duck-*.parquet') GROUP BY file_name
    ORDER BY file_name`)
  for (const row of m.getRows())
    console.log(`# ${path.basename(row[0])}: ${row[1]} row groups, ${row[2]}`)
}

async function hyparquet (dir) {
  const { parquetWriteBuffer } = await import('hyparquet-writer')
  const n = 3000
  const id = []; const name = []; const cost = []; const n32 = []
  const flag = []; const ts = []; const plainstr = []; const fl = []
  for (let i = 0; i < n; i++) {
    id.push(BigInt(i) * 1000000007n - 5n)
    name.push(i % 9 === 4 ? null : 'table-' + (i % 23))
    cost.push(i % 7 === 0 ? null : i / 8 - 3.3)
    n32.push(i % 5 === 0 ? null : (i * 48271) % 65536 - 32768)
    flag.push(i % 4 === 1 ? null : i % 3 === 0)
    ts.push(new Date(Date.UTC(2026, 9, 1) + i * 61000))
    plainstr.push(i % 6 === 0 ? null : `row ${i} ✓ \\ "q"`)
    fl.push(Math.fround(i * 0.3))
  }
  const columnData = [
    { name: 'id', data: id, type: 'INT64', nullable: false },
    { name: 'name', data: name, type: 'STRING', columnIndex: true },
    { name: 'cost', data: cost, type: 'DOUBLE', bloomFilter: true },
    { name: 'n32', data: n32, type: 'INT32' },
    { name: 'flag', data: flag, type: 'BOOLEAN' },
    { name: 'ts', data: ts, type: 'TIMESTAMP' },
    { name: 'plain', data: plainstr, type: 'STRING', encoding: 'PLAIN' },
    { name: 'fl', data: fl, type: 'FLOAT' }
  ]
  const cols = ['id', 'name', 'cost', 'n32', 'flag', 'ts', 'plain', 'fl']
  const kinds = ['int', 'string', 'double', 'int', 'int', 'time', 'string',
    'double']
  const rows = []
  for (let i = 0; i < n; i++) {
    rows.push([String(id[i]), name[i], cost[i],
      n32[i] === null ? null : String(n32[i]),
      flag[i] === null ? null : flag[i] ? '1' : '0',
      String(BigInt(ts[i].getTime()) * 1000n), plainstr[i], fl[i]])
  }
  const files = [
    ['hyp-snappy', { codec: 'SNAPPY', rowGroupSize: 700, pageSize: 4000 }],
    ['hyp-uncompressed', { codec: 'UNCOMPRESSED', rowGroupSize: 1000 }],
    ['hyp-gzip', {
      codec: 'GZIP',
      compressors: { GZIP: b => new Uint8Array(zlib.gzipSync(b)) },
      rowGroupSize: 3000,
      pageSize: 2000
    }]
  ]
  for (const [fname, opts] of files) {
    const buf = parquetWriteBuffer({ columnData, ...opts })
    fs.writeFileSync(path.join(dir, fname + '.parquet'), Buffer.from(buf))
    save(dir, fname, cols, kinds, rows)
  }
}

function unescape (s) {
  return Buffer.from(s.replace(/\\(x[0-9a-f]{2}|.)/g, (m, e) =>
    e === 't' ? '\t' : e === 'n' ? '\n' : e === 'r' ? '\r'
      : e[0] === 'x' ? String.fromCharCode(parseInt(e.slice(1), 16)) : e),
  'utf8').toString('utf8')
}

function same (kind, got, want) {
  if (want === null || got === '\\N')
    return want === null && got === '\\N'
  switch (kind) {
    case 'int':
    case 'time':
      return /^-?[0-9]+$/.test(got) && BigInt(got) === BigInt(want)
    case 'double':
      return Number(got) === want
    default:
      return unescape(got) === want
  }
}

function compare (expectFile, outFile) {
  const { columns, kinds, rows } = JSON.parse(fs.readFileSync(expectFile))
  const lines = fs.readFileSync(outFile, 'utf8').split('\n')
  if (lines.pop() !== '') {
    console.log('# output does not end with a newline')
    return 1
  }
  if (lines.length !== rows.length) {
    console.log(`# ${lines.length} rows read, ${rows.length} expected`)
    return 1
  }
  for (let r = 0; r < rows.length; r++) {
    const f = lines[r].split('\t')
    for (let k = 0; k < columns.length; k++) {
      if (!same(kinds[k], f[k], rows[r][k])) {
        console.log(`# row ${r} column ${columns[k]}: read ${f[k]}, ` +
          `expected ${JSON.stringify(rows[r][k])}`)
        return 1
      }
    }
  }
  return 0
}

function mutate (file, dir, count) {
  const orig = fs.readFileSync(file)
  let seed = 12345
  const rand = n => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % n
  }
  fs.mkdirSync(dir, { recursive: true })
  for (let i = 0; i < count; i++) {
    let b = Buffer.from(orig)
    if (i % 10 === 9) {
      b = b.subarray(0, rand(b.length))
    } else {
      for (let k = 1 + rand(3); k > 0; k--) {
        const at = rand(4) === 0 ? rand(b.length)
          : b.length - 1 - rand(Math.min(b.length, 3000))
        b[at] = [0, 0xff, 0x80, 0x7f, b[at] ^ (1 << rand(8)), rand(256)][rand(6)]
      }
    }
    fs.writeFileSync(path.join(dir, `m${i}.parquet`), b)
  }
}

const [cmd, a, b, c] = process.argv.slice(2)
if (cmd === 'write' && a) {
  fs.mkdirSync(a, { recursive: true })
  await duck(a)
  await hyparquet(a)
} else if (cmd === 'compare' && a && b) {
  process.exitCode = compare(a, b)
} else if (cmd === 'mutate' && a && b && Number(c) > 0) {
  mutate(a, b, Number(c))
} else {
  console.error('usage: node parquet-fixtures.mjs write DIR\n' +
    '       node parquet-fixtures.mjs compare NAME.expect NAME.out\n' +
    '       node parquet-fixtures.mjs mutate FILE DIR COUNT')
  process.exitCode = 2
}

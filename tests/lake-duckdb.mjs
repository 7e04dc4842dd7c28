// tests/lake-duckdb.mjs - a project directory read in place by DuckDB
//
// node tests/lake-duckdb.mjs DIR: reads the project directory DIR as a
// data lake, with DuckDB's read_json and hive partitioning (account= and
// region= directories; the day of a metrics file from its name, date=D),
// and prints, for the test to hold against optima's own numbers:
//
//   partition ACCOUNT REGION TABLES DAYS SERIES   per account and region
//   region REGION TABLES                           tables per region
//   recommendations COUNT SAVINGS                  monthly_savings_usd summed
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { DuckDBInstance } = await import(require.resolve('@duckdb/node-api'))

const dir = process.argv[2]
if (!dir) {
  console.error('usage: node lake-duckdb.mjs dir')
  process.exit(2)
}
const db = await DuckDBInstance.create(':memory:')
const c = await db.connect()
await c.run('SET threads = 1')
// Account ids are strings: a partition value must not become a number.
const opts = "format = 'newline_delimited', hive_partitioning = true, " +
  "hive_types = {'account': VARCHAR}, filename = true"
// tables/account=ID/region=R.ndjson: the region from the records.
await c.run(`CREATE VIEW tables AS SELECT * FROM
  read_json('${dir}/tables/*/*.ndjson', ${opts})`)
await c.run(`CREATE VIEW metrics AS SELECT *,
  regexp_extract(filename, 'date=([0-9-]+)\\.ndjson$', 1) AS date
  FROM read_json('${dir}/metrics/*/*/*.ndjson', ${opts.replace('}',
    ", 'region': VARCHAR}")},
    columns = {'kind': 'VARCHAR', 'account': 'VARCHAR', 'table': 'VARCHAR',
      'index': 'VARCHAR', 'metric': 'VARCHAR', 'start': 'VARCHAR'})`)
await c.run(`CREATE VIEW recommendations AS SELECT * FROM
  read_json('${dir}/recommendations.ndjson', format = 'newline_delimited')`)

async function rows (sql) {
  const r = await c.runAndReadAll(sql)
  return r.getRows().map(row => row.map(v =>
    typeof v === 'bigint' ? String(v) : v))
}

// The partition directories' values and the records' own must agree.
const bad = await rows(`SELECT count(*) FROM metrics
  WHERE kind <> 'series' OR substr(start, 1, 10) <> date`)
if (bad[0][0] !== '0') {
  console.error(`${bad[0][0]} series outside their date= file`)
  process.exit(1)
}
for (const r of await rows(`
    SELECT t.account, t.region, t.n, coalesce(m.days, 0),
      coalesce(m.series, 0)
    FROM (SELECT account, region, count(*) AS n FROM tables
      GROUP BY ALL) t
    LEFT JOIN (SELECT account, region, count(DISTINCT date) AS days,
      count(*) AS series FROM metrics GROUP BY ALL) m
    USING (account, region)
    ORDER BY t.account, t.region`))
  console.log('partition', ...r)
for (const r of await rows(`SELECT region, count(*) FROM tables
    GROUP BY region ORDER BY region`))
  console.log('region', ...r)
for (const r of await rows(`SELECT count(*),
    printf('%.2f', sum(monthly_savings_usd)) FROM recommendations`))
  console.log('recommendations', ...r)

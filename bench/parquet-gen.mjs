// parquet-gen - write a CUR-like Parquet file with DuckDB, for
// bench/parquet-scan
//
// usage: node bench/parquet-gen.mjs FILE ROWS
//
// 40 columns named as in a Cost and Usage Report, snappy, row groups of
// 122880 rows (DuckDB's default): account ids, regions, usage types and
// operations of low cardinality, resource ids of high cardinality, hourly
// timestamps, costs and amounts as doubles, some columns mostly null.

import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'

const require = createRequire(new URL('../tests/package.json', import.meta.url))
const { DuckDBInstance } = await import(
  pathToFileURL(require.resolve('@duckdb/node-api')).href)

const [file, rows] = process.argv.slice(2)
if (!file || !(Number(rows) > 0)) {
  console.error('usage: node bench/parquet-gen.mjs FILE ROWS')
  process.exit(2)
}
const filler = Array.from({ length: 22 }, (_, k) =>
  `'v${k}-' || (i * ${k + 7} % ${[3, 50, 1000, 100000][k % 4]}) AS product_attr_${k}`)
const db = await DuckDBInstance.create(':memory:')
const c = await db.connect()
await c.run("SET TimeZone = 'UTC'")
await c.run(`COPY (SELECT
  'cur-' || i AS identity_line_item_id,
  TIMESTAMP '2026-10-01' AS bill_billing_period_start_date,
  lpad((100000000000 + i % 37)::VARCHAR, 12, '0') AS line_item_usage_account_id,
  'Usage' AS line_item_line_item_type,
  TIMESTAMP '2026-10-01' + to_hours(i % 744) AS line_item_usage_start_date,
  TIMESTAMP '2026-10-01' + to_hours(i % 744 + 1) AS line_item_usage_end_date,
  'AmazonDynamoDB' AS line_item_product_code,
  ['USE1-ReadRequestUnits', 'USE1-WriteRequestUnits', 'USE1-TimedStorage-ByteHrs',
   'USE1-ReadCapacityUnit-Hrs', 'USE1-WriteCapacityUnit-Hrs', 'USE1-IA-TimedStorage-ByteHrs'][i % 6 + 1]
    AS line_item_usage_type,
  ['GetItem', 'PutItem', 'StandardStorage', 'CommittedThroughput'][i % 4 + 1] AS line_item_operation,
  'arn:aws:dynamodb:us-east-1:' || (100000000000 + i % 37) || ':table/t' || (i % 5000)
    AS line_item_resource_id,
  (i % 9973) * 0.37 AS line_item_usage_amount,
  'USD' AS line_item_currency_code,
  (i % 9973) * 0.37 * 1.25e-7 AS line_item_unblended_rate,
  (i % 9973) * 0.37 * 1.25e-7 AS line_item_unblended_cost,
  (i % 9973) * 0.37 * 1.25e-7 AS line_item_blended_cost,
  'DynamoDB ' || (i % 100) AS line_item_line_item_description,
  ['us-east-1', 'us-west-2', 'eu-west-1'][i % 3 + 1] AS product_region,
  'AmazonDynamoDB' AS product_servicecode,
  CASE WHEN i % 5 = 0 THEN 'team-' || (i % 17) END AS resource_tags_user_team,
  CASE WHEN i % 50 = 0 THEN (i % 1000) * 0.01 END AS reservation_effective_cost,
  ${filler.join(',\n  ')}
  FROM range(${Number(rows)}) t(i))
  TO '${file}' (FORMAT PARQUET, COMPRESSION snappy)`)

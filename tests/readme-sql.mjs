// tests/readme-sql.mjs - run SQL statements with DuckDB in a directory
//
// node tests/readme-sql.mjs DIR < statements: runs each statement read
// from standard input (one per line, as the README's ```sql blocks hold
// them, a statement possibly on several lines ending with ';') with DIR as
// the working directory, and prints each one's first row; exits 1 at the
// first statement that fails or returns no row.
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'

const require = createRequire(import.meta.url)
const { DuckDBInstance } = await import(require.resolve('@duckdb/node-api'))

process.chdir(process.argv[2])
const db = await DuckDBInstance.create(':memory:')
const c = await db.connect()
await c.run('SET threads = 1')
const text = readFileSync(0, 'utf8')
for (const sql of text.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) {
  const rows = (await c.runAndReadAll(sql)).getRowObjectsJson()
  if (rows.length === 0) {
    console.error(`no row: ${sql}`)
    process.exit(1)
  }
  console.log(JSON.stringify(rows[0]))
}

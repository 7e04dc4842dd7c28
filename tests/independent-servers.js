'use strict';
// Start dynalite (DynamoDB) or s3rver (S3) on a free loopback port, print
// the port once listening, and run until killed: independent
// implementations of the AWS protocols for optima's transport tests.
//
// usage: node independent-servers.js dynalite|s3rver DIR

const [which, dir] = process.argv.slice(2);

if (which === 'dynalite') {
  const server = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server.listen(0, '127.0.0.1', () => console.log(server.address().port));
} else if (which === 's3rver') {
  const S3rver = require('s3rver');
  const s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir,
    configureBuckets: [{ name: 'optima-cur' }] });
  s3.run().then(({ port }) => console.log(port));
} else {
  console.error('usage: node independent-servers.js dynalite|s3rver DIR');
  process.exit(2);
}

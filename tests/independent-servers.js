'use strict';
// Start dynalite (DynamoDB) or s3rver (S3) on a free loopback port, print
// the port once listening, and run until killed: independent
// implementations of the AWS protocols for optima's transport tests.
//
// usage: node independent-servers.js dynalite|s3rver DIR

const [which, dir] = process.argv.slice(2);
const OBJECTS = {
  'reports/2026-10/part 1.csv': 'hello world 0123456789\n',
  'reports/2026-10/part-2.csv': 'second\n',
  'reports/2026-11/part-1.csv': 'third\n',
  'other/readme': 'other\n',
};

if (which === 'dynalite') {
  const server = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server.listen(0, '127.0.0.1', () => console.log(server.address().port));
} else if (which === 's3rver') {
  const S3rver = require('s3rver');
  const s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir,
    configureBuckets: [{ name: 'optima-cur' }] });
  s3.run().then(async ({ port }) => {
    // A few objects, put with the AWS SDK (s3rver checks its signatures
    // with the access key and secret S3RVER).
    const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');
    const client = new S3Client({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1',
      forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    for (const [Key, Body] of Object.entries(OBJECTS)) {
      await client.send(new PutObjectCommand({ Bucket: 'optima-cur', Key, Body }));
    }
    console.log(port);
  });
} else {
  console.error('usage: node independent-servers.js dynalite|s3rver DIR');
  process.exit(2);
}

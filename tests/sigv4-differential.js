'use strict';
// Sign generated requests with optima's C signer (tests/unit/sigv4-sign)
// and with the AWS SDK's own (@smithy/signature-v4); print TAP, one test
// per request, passing when the Authorization headers are equal.
//
// usage: node sigv4-differential.js SIGNER [count] [seed]

const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const { SignatureV4 } = require('@smithy/signature-v4');
const { Hash } = require('@smithy/hash-node');
const { prng } = require('./emulator/org.js');

const [signer, count = '1000', seed = '20261125'] = process.argv.slice(2);
const rand = prng(Number(seed));
const pick = (list) => list[Math.floor(rand() * list.length)];
const maybe = (p) => rand() < p;

const SEGMENTS = ['a', 'b c', 'ሴ', 'ü', '..', '.', '', 'x.y', '~t', 'p+q', 's;c',
  'e=q', '[x]', "it's", 'a%b', 'doc.json', 'UPPER', '*'];
const WORDS = ['a', 'b', 'Param', 'key with space', 'ü', 'a/b', 'x=y', '%', '~',
  '+', 'ሴ', 'A', 'z', '1', 'list-type', 'continuation-token', ''];
const SERVICES = ['dynamodb', 'monitoring', 'sts', 'pricing', 'organizations', 's3'];
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-gov-west-1', 'cn-north-1'];

// A strict RFC 3986 encoding, as a well-behaved client puts on the wire.
const enc = (s) => encodeURIComponent(s).replace(/[!'()*]/g,
  (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function gencase(i) {
  const service = pick(SERVICES);
  const s3 = service === 's3';
  const segs = Array.from({ length: Math.floor(rand() * 5) }, () => pick(SEGMENTS));
  // S3 keys are sent as they are signed: no dot segments to normalize.
  const path = `/${segs.filter((x) => !s3 || (x !== '.' && x !== '..')).map(enc).join('/')}` +
    (maybe(0.2) ? '/' : '');
  const params = [];
  for (let n = Math.floor(rand() * 5); n > 0; n--) {
    const k = pick(WORDS) || 'k';
    params.push([k, maybe(0.15) ? null : pick(WORDS)]);
    if (maybe(0.2)) params.push([k, pick(WORDS)]);
  }
  const query = params.map(([k, v]) => (v === null ? enc(k) : `${enc(k)}=${enc(v)}`)).join('&');
  const body = pick(['', 'Action=ListUsers&Version=2010-05-08', '{"TableName":"orders"}',
    crypto.randomBytes(Math.floor(rand() * 200000)).toString('base64')]);
  const headers = [['host', pick(['example.amazonaws.com', '127.0.0.1:4566',
    'bucket.s3.us-east-1.amazonaws.com'])]];
  if (maybe(0.5)) headers.push(['Content-Type', pick(['application/x-amz-json-1.0', 'text/plain'])]);
  if (maybe(0.5)) headers.push(['X-Amz-Target', 'DynamoDB_20120810.ListTables']);
  if (maybe(0.4)) headers.push(['X-Amz-Meta-Note', pick(['  lead', 'trail  ', 'in   side', 'tab\there', 'fold\n  ed'])]);
  if (maybe(0.3)) headers.push(['User-Agent', 'optima/0.1']);
  if (maybe(0.3)) headers.push(['Range', 'bytes=0-9']);
  const dup = maybe(0.2);
  if (dup) headers.push(['x-dup', 'one'], ['X-Dup', 'two']);
  const token = maybe(0.4) ? crypto.randomBytes(64).toString('base64') : null;
  return {
    kind: 'sigv4_case', method: pick(['GET', 'POST', 'PUT', 'DELETE', 'HEAD']), path, query,
    headers, body, body_sha256: crypto.createHash('sha256').update(body).digest('hex'),
    access_key_id: `AKIA${i.toString().padStart(16, '0')}`,
    secret_access_key: crypto.randomBytes(30).toString('base64'),
    session_token: token, region: pick(REGIONS), service, s3,
    now: 946684800 + Math.floor(rand() * 946080000),
  };
}

async function smithy(c) {
  const headers = {};
  for (const [k, v] of c.headers) {
    const low = k.toLowerCase();
    headers[low] = low in headers ? `${headers[low]},${v}` : v;
  }
  if (c.s3) headers['x-amz-content-sha256'] = c.body_sha256;
  const query = {};
  for (const piece of c.query ? c.query.split('&') : []) {
    const eq = piece.indexOf('=');
    const k = decodeURIComponent(eq < 0 ? piece : piece.slice(0, eq));
    const v = eq < 0 ? '' : decodeURIComponent(piece.slice(eq + 1));
    query[k] = k in query ? [].concat(query[k], v) : v;
  }
  const s = new SignatureV4({ service: c.service, region: c.region,
    sha256: Hash.bind(null, 'sha256'), uriEscapePath: !c.s3, applyChecksum: false,
    credentials: { accessKeyId: c.access_key_id, secretAccessKey: c.secret_access_key,
      sessionToken: c.session_token || undefined } });
  const signed = await s.sign({ method: c.method, protocol: 'https:', hostname: 'example',
    path: c.path, query, headers, body: c.body }, { signingDate: new Date(c.now * 1000) });
  return signed.headers.authorization;
}

async function main() {
  const cases = Array.from({ length: Number(count) }, (_, i) => gencase(i));
  const input = cases.map((c) => JSON.stringify(Object.assign({}, c, { body: undefined }))).join('\n');
  const r = spawnSync(signer, [], { input: `${input}\n`, maxBuffer: 1 << 28 });
  if (r.status !== 0) {
    console.log(`1..1\nnot ok 1 - ${signer} failed: status ${r.status} ${r.signal || ""} ${r.error || r.stderr}`);
    process.exit(1);
  }
  const got = r.stdout.toString().trim().split('\n').map((l) => JSON.parse(l));
  console.log(`1..${cases.length}`);
  let failed = 0;
  for (let i = 0; i < cases.length; i++) {
    const want = await smithy(cases[i]);
    const c = cases[i];
    const ok = got[i] && got[i].authorization === want;
    if (!ok) failed++;
    console.log(`${ok ? 'ok' : 'not ok'} ${i + 1} - ${c.method} ${c.service} ${c.path}?${c.query}`.slice(0, 200));
    if (!ok) {
      console.log(`#  C:      ${got[i] && got[i].authorization}\n#  smithy: ${want}`);
      console.log(`#  canonical (C):\n${(got[i] ? got[i].canonical_request : '').replace(/^/gm, '#    ')}`);
    }
  }
  process.exit(failed ? 1 : 0);
}

main();

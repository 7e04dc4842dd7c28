'use strict';
// S3 (REST-XML): the management account's Cost and Usage Report bucket,
// read-only. ListBuckets, HeadBucket, GetBucketLocation, ListObjects (V1
// and V2), GetObject and HeadObject with byte ranges; path-style and
// virtual-hosted requests. Objects are built from the organization when
// first asked for (curdata.js) and kept while memory allows.

const crypto = require('node:crypto');
const { send, xmlEscape } = require('../protocol.js');
const curdata = require('../curdata.js');

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const CACHE_BYTES = 256 * 1024 * 1024;

// Per organization: the bucket, its listing of the day, and built objects
// (an LRU bounded by CACHE_BYTES; sizes and ETags are kept for good).
const stores = new WeakMap();

function store(org) {
  let s = stores.get(org);
  if (!s) {
    s = { day: null, list: null, bodies: new Map(), bytes: 0, meta: new Map() };
    stores.set(org, s);
  }
  return s;
}

function buckets(org) {
  return [{ name: org.cur.bucket, owner: org.management, region: org.cur.region,
    created: Date.UTC(2023, 0, 15, 9, 30) }];
}

// The bucket's objects at ${now}, sorted by key; the listing changes once
// a day, when the reports are delivered.
function listing(org, now) {
  const s = store(org);
  const day = Math.floor(now / 86400000);
  if (s.day !== day) {
    s.day = day;
    s.list = curdata.objects(org, now);
  }
  return s.list;
}

function cacheKey(o) { return `${o.key}\0${o.version}`; }

// The bytes of object ${o}, built or from the cache.
function body(org, o) {
  const s = store(org);
  const k = cacheKey(o);
  let b = s.bodies.get(k);
  if (b) {
    s.bodies.delete(k);
  } else {
    b = o.build();
    s.bytes += b.length;
    s.meta.set(k, { size: b.length, etag: `"${crypto.createHash('md5').update(b).digest('hex')}"` });
  }
  s.bodies.set(k, b);
  for (const [old, ob] of s.bodies) {
    if (s.bytes <= CACHE_BYTES || old === k) break;
    s.bodies.delete(old);
    s.bytes -= ob.length;
  }
  return b;
}

// {size, etag} of ${o}, building it if it never was.
function meta(org, o) {
  const m = store(org).meta.get(cacheKey(o));
  if (m) return m;
  body(org, o);
  return store(org).meta.get(cacheKey(o));
}

function contentType(k) {
  if (k.endsWith('.json')) return 'application/json';
  if (k.endsWith('.gz')) return 'application/x-gzip';
  if (k.endsWith('.yml')) return 'application/x-yaml';
  return 'binary/octet-stream';
}

function requestHeaders(extra = {}) {
  return Object.assign({ 'x-amz-request-id': crypto.randomBytes(8).toString('hex').toUpperCase(),
    'x-amz-id-2': crypto.randomBytes(48).toString('base64') }, extra);
}

function reply(res, status, xml, headers = {}) {
  send(res, status, 'application/xml', `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`,
    requestHeaders(headers));
}

// An S3 error: <Error><Code/><Message/>...</Error> (HEAD replies carry no
// body; node drops it).
function error(res, status, code, message, extra = {}, headers = {}) {
  const fields = Object.entries(extra).map(([k, v]) => el(k, v)).join('');
  reply(res, status, `<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>${fields}` +
    `<RequestId>${crypto.randomBytes(8).toString('hex').toUpperCase()}</RequestId>` +
    `<HostId>${crypto.randomBytes(48).toString('base64')}</HostId></Error>`, headers);
}

function el(name, value) { return `<${name}>${xmlEscape(value)}</${name}>`; }
function iso(ms) { return new Date(ms).toISOString(); }

// The canonical user ID S3 shows for an account.
function canonical(account) {
  return crypto.createHash('sha256').update(`s3-canonical/${account}`).digest('hex');
}

// Where a request points: {bucket, key} from the Host (virtual-hosted:
// its first label is a bucket) or the path (path-style).
function address(org, req, path) {
  const host = (req.headers.host || '').split(':')[0];
  const label = host.split('.')[0];
  const names = buckets(org).map((b) => b.name);
  if (host.includes('.') && names.includes(label)) {
    return { bucket: label, key: decode(path.slice(1)) };
  }
  const slash = path.indexOf('/', 1);
  if (slash < 0) return { bucket: decode(path.slice(1)), key: '' };
  return { bucket: decode(path.slice(1, slash)), key: decode(path.slice(slash + 1)) };
}

function decode(s) {
  try { return decodeURIComponent(s); } catch { return s; }
}

function handle(ctx, req, res) {
  const url = new URL(req.url, 'http://s3');
  const q = url.searchParams;
  const { bucket: name, key } = address(ctx.org, req, url.pathname);
  if (!name) {
    if (req.method !== 'GET') return error(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    return listBuckets(ctx, res);
  }
  const b = buckets(ctx.org).find((x) => x.name === name);
  if (!b) return error(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: name });
  const region = { 'x-amz-bucket-region': b.region };
  // GetBucketLocation answers whatever region signed it.
  if (req.method === 'GET' && !key && q.has('location')) {
    if (ctx.account !== b.owner) return error(res, 403, 'AccessDenied', 'Access Denied', {}, region);
    const where = b.region === 'us-east-1' ? '' : xmlEscape(b.region);
    return reply(res, 200, `<LocationConstraint xmlns="${NS}">${where}</LocationConstraint>`);
  }
  if (ctx.region !== b.region) {
    return error(res, 400, 'AuthorizationHeaderMalformed',
      `The authorization header is malformed; the region '${ctx.region}' is wrong; expecting '${b.region}'`,
      { Region: b.region }, region);
  }
  if (ctx.account !== b.owner) return error(res, 403, 'AccessDenied', 'Access Denied', {}, region);
  if (req.method !== 'GET' && req.method !== 'HEAD') return error(res, 403, 'AccessDenied', 'Access Denied');
  if (key) return getObject(ctx, req, res, key);
  if (req.method === 'HEAD') {
    res.writeHead(200, requestHeaders(Object.assign({ 'x-amz-access-point-alias': 'false' }, region)));
    return res.end();
  }
  const sub = [...q.keys()].find((k) => !LIST_PARAMS.has(k));
  if (sub) return error(res, 501, 'NotImplemented', 'A header you provided implies functionality that is not implemented', { Header: sub });
  return list(ctx, res, b, q);
}

const LIST_PARAMS = new Set(['list-type', 'prefix', 'delimiter', 'max-keys', 'continuation-token',
  'start-after', 'encoding-type', 'fetch-owner', 'marker', 'x-id']);

function listBuckets(ctx, res) {
  const mine = buckets(ctx.org).filter((b) => b.owner === ctx.account);
  reply(res, 200, `<ListAllMyBucketsResult xmlns="${NS}"><Owner>${el('ID', canonical(ctx.account))}</Owner>` +
    `<Buckets>${mine.map((b) => `<Bucket>${el('Name', b.name)}${el('CreationDate', iso(b.created))}` +
      `${el('BucketRegion', b.region)}</Bucket>`).join('')}</Buckets></ListAllMyBucketsResult>`);
}

// Continuation tokens are opaque to clients: the last key or common
// prefix returned, marked and base64-encoded.
function token(last) { return Buffer.from(`\u0001${last}`).toString('base64'); }
function untoken(t) {
  const s = Buffer.from(t, 'base64').toString();
  return s[0] === '\u0001' && token(s.slice(1)) === t ? s.slice(1) : null;
}

// ListObjectsV2 (list-type=2) and ListObjects.
function list(ctx, res, b, q) {
  const v2 = q.get('list-type') === '2';
  const prefix = q.get('prefix') || '';
  const delimiter = q.get('delimiter') || '';
  const rawMax = q.has('max-keys') ? q.get('max-keys') : '1000';
  if (!/^\d+$/.test(rawMax) || Number(rawMax) > 2147483647) {
    return error(res, 400, 'InvalidArgument', 'Provided max-keys not an integer or within integer range',
      { ArgumentName: 'max-keys', ArgumentValue: rawMax });
  }
  const max = Math.min(Number(rawMax), 1000);
  const encoding = q.get('encoding-type');
  if (encoding !== null && encoding !== 'url') {
    return error(res, 400, 'InvalidArgument', 'Invalid Encoding Method specified in Request',
      { ArgumentName: 'encoding-type', ArgumentValue: encoding });
  }
  let after = v2 ? q.get('start-after') || '' : q.get('marker') || '';
  if (v2 && q.has('continuation-token')) {
    after = untoken(q.get('continuation-token'));
    if (after === null) {
      return error(res, 400, 'InvalidArgument', 'The continuation token provided is incorrect',
        { ArgumentName: 'continuation-token' });
    }
  }
  const page = walk(listing(ctx.org, ctx.now()), prefix, delimiter, after, max);
  const enc = (s) => (encoding ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
  const owner = !v2 || q.get('fetch-owner') === 'true' ?
    `<Owner>${el('ID', canonical(b.owner))}</Owner>` : '';
  const contents = page.keys.map((o) => {
    const m = meta(ctx.org, o);
    return `<Contents>${el('Key', enc(o.key))}${el('LastModified', iso(o.modified))}${el('ETag', m.etag)}` +
      `${el('Size', m.size)}${owner}<StorageClass>STANDARD</StorageClass></Contents>`;
  }).join('');
  const prefixes = page.prefixes.map((p) => `<CommonPrefixes>${el('Prefix', enc(p))}</CommonPrefixes>`).join('');
  let head = `${el('Name', b.name)}${el('Prefix', enc(prefix))}`;
  if (v2) {
    if (q.has('continuation-token')) head += el('ContinuationToken', q.get('continuation-token'));
    if (page.truncated) head += el('NextContinuationToken', token(page.last));
    head += el('KeyCount', page.keys.length + page.prefixes.length);
  } else {
    head += el('Marker', enc(after));
    if (page.truncated && delimiter) head += el('NextMarker', enc(page.last));
  }
  head += el('MaxKeys', max);
  if (delimiter) head += el('Delimiter', enc(delimiter));
  if (encoding) head += el('EncodingType', encoding);
  head += el('IsTruncated', page.truncated);
  const tail = v2 && q.has('start-after') ? el('StartAfter', enc(q.get('start-after'))) : '';
  reply(res, 200, `<ListBucketResult xmlns="${NS}">${head}${contents}${prefixes}${tail}</ListBucketResult>`);
}

// Up to ${max} keys and common prefixes after ${after}: {keys, prefixes,
// truncated, last}. A common prefix counts once, like a key.
function walk(objects, prefix, delimiter, after, max) {
  const out = { keys: [], prefixes: [], truncated: false, last: '' };
  let n = 0;
  for (const o of objects) {
    if (o.key <= after || !o.key.startsWith(prefix)) continue;
    const cut = delimiter ? o.key.indexOf(delimiter, prefix.length) : -1;
    const item = cut < 0 ? o.key : o.key.slice(0, cut + delimiter.length);
    // Resuming after a common prefix skips everything under it.
    if (item === after || item === out.last) continue;
    if (n === max) {
      out.truncated = true;
      break;
    }
    if (cut < 0) out.keys.push(o);
    else out.prefixes.push(item);
    out.last = item;
    n++;
  }
  return out;
}

// "bytes=a-b", "bytes=a-", "bytes=-n" on ${size} bytes: [start, end]
// inclusive, 'invalid' when unsatisfiable, or null when the header is to
// be ignored (S3 serves the whole object then).
function range(header, size) {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header || '');
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const n = Number(m[2]);
    return n === 0 || size === 0 ? 'invalid' : [Math.max(0, size - n), size - 1];
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return null;
  return start >= size ? 'invalid' : [start, end];
}

function getObject(ctx, req, res, key) {
  const o = listing(ctx.org, ctx.now()).find((x) => x.key === key);
  if (!o) return error(res, 404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
  const data = body(ctx.org, o);
  const m = meta(ctx.org, o);
  const headers = requestHeaders({
    'content-type': contentType(key), etag: m.etag, 'last-modified': new Date(o.modified).toUTCString(),
    'accept-ranges': 'bytes', 'x-amz-server-side-encryption': 'AES256',
  });
  const r = range(req.headers.range, data.length);
  if (r === 'invalid') {
    return error(res, 416, 'InvalidRange', 'The requested range is not satisfiable',
      { RangeRequested: req.headers.range, ActualObjectSize: data.length },
      { 'content-range': `bytes */${data.length}` });
  }
  const part = r ? data.subarray(r[0], r[1] + 1) : data;
  if (r) headers['content-range'] = `bytes ${r[0]}-${r[1]}/${data.length}`;
  headers['content-length'] = part.length;
  res.writeHead(r ? 206 : 200, headers);
  res.end(req.method === 'HEAD' ? undefined : part);
}

module.exports = { protocol: 'rest', authErrors: 's3', handle };

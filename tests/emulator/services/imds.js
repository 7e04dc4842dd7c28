'use strict';
// EC2 instance metadata as on an instance that requires IMDSv2: a session
// token from PUT /latest/api/token, then, with the token, the instance
// role's name and temporary credentials (the management account's, which
// sign requests to this emulator), and the instance's region. Unsigned,
// under /latest/ (set AWS_EC2_METADATA_SERVICE_ENDPOINT to the emulator).

const crypto = require('node:crypto');
const { issue } = require('./sts.js');

const ROLE = 'optima-instance-role';
const INSTANCE = 'i-0e5d4a3b2c1f09876';
const CREDENTIALS = '/latest/meta-data/iam/security-credentials/';
const MAX_TTL = 21600;

function match(req) { return req.url.startsWith('/latest/'); }

const REASONS = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 429: 'Too Many Requests', 500: 'Internal Server Error',
  503: 'Service Unavailable' };

function send(res, status, type, body, headers = {}) {
  res.writeHead(status, Object.assign({ 'content-type': type,
    'content-length': Buffer.byteLength(body), server: 'EC2ws' }, headers));
  res.end(body);
}

// IMDS answers errors with a small XHTML page named by the status.
function error(res, status) {
  const title = `${status} - ${REASONS[status]}`;
  send(res, status, 'text/html', '<?xml version="1.0" encoding="iso-8859-1"?>\n' +
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"\n' +
    '\t"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n' +
    '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">\n' +
    ` <head>\n  <title>${title}</title>\n </head>\n <body>\n  <h1>${title}</h1>\n </body>\n</html>\n`);
}

// Tokens carry their expiry and a MAC under the management account's
// secret, so that any emulator of the same organization accepts them.
function mac(ctx, expiry) {
  return crypto.createHmac('sha256', ctx.org.keys[0].secretAccessKey)
    .update(`imds-token:${expiry}`).digest('base64url').slice(0, 32);
}

function token(ctx, ttl) {
  const expiry = ctx.now() + ttl * 1000;
  return Buffer.from(`${expiry}:${mac(ctx, expiry)}`).toString('base64');
}

function valid(ctx, value) {
  const [expiry, sig] = Buffer.from(value || '', 'base64').toString().split(':');
  return /^\d+$/.test(expiry) && sig === mac(ctx, expiry) && ctx.now() < Number(expiry);
}

function iso(ms) { return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'); }

function handle(ctx, req, res) {
  const path = req.url.split('?')[0];
  if (path === '/latest/api/token') {
    if (req.method !== 'PUT') return error(res, 405);
    // IMDS refuses tokens to requests that went through a proxy.
    if (req.headers['x-forwarded-for']) return error(res, 403);
    const ttl = req.headers['x-aws-ec2-metadata-token-ttl-seconds'];
    if (!/^\d+$/.test(ttl || '') || Number(ttl) < 1 || Number(ttl) > MAX_TTL) return error(res, 400);
    return send(res, 200, 'text/plain', token(ctx, Number(ttl)),
      { 'x-aws-ec2-metadata-token-ttl-seconds': ttl });
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return error(res, 405);
  if (!valid(ctx, req.headers['x-aws-ec2-metadata-token'])) return error(res, 401);
  if (path === CREDENTIALS) return send(res, 200, 'text/plain', ROLE);
  if (path === `${CREDENTIALS}${ROLE}`) {
    const c = issue(ctx, ctx.org.management,
      `arn:aws:sts::${ctx.org.management}:assumed-role/${ROLE}/${INSTANCE}`, ctx.sessionSeconds);
    return send(res, 200, 'text/plain', JSON.stringify({
      Code: 'Success', LastUpdated: iso(ctx.now()), Type: 'AWS-HMAC',
      AccessKeyId: c.AccessKeyId, SecretAccessKey: c.SecretAccessKey, Token: c.SessionToken,
      Expiration: c.Expiration,
    }, null, 2));
  }
  if (path === '/latest/meta-data/placement/region') return send(res, 200, 'text/plain', ctx.region);
  if (path === '/latest/meta-data/instance-id') return send(res, 200, 'text/plain', INSTANCE);
  return error(res, 404);
}

// What a test exports to use it: AWS_EC2_METADATA_SERVICE_ENDPOINT=$EMULATOR_IMDS_ENDPOINT
// (botocore appends "latest/..." to it: the slash is needed).
function env(ctx, endpoint) { return [`export EMULATOR_IMDS_ENDPOINT=${endpoint}/`]; }

module.exports = { protocol: 'rest', match, handle, env, error, ROLE, INSTANCE };

'use strict';
// Verifies AWS Signature Version 4 on incoming requests by signing them
// again with the AWS SDK's own signer (@smithy/signature-v4), hashing the
// body ourselves, and comparing signatures.

const crypto = require('node:crypto');
const { SignatureV4 } = require('@smithy/signature-v4');
const { Hash } = require('@smithy/hash-node');

const Sha256 = Hash.bind(null, 'sha256');
const SKEW_MS = 5 * 60 * 1000;

// Parse "AWS4-HMAC-SHA256 Credential=AK/20261125/us-east-1/dynamodb/aws4_request,
// SignedHeaders=host;x-amz-date, Signature=abc" into its parts, or null.
function parseAuthorization(value) {
  const m = /^AWS4-HMAC-SHA256\s+(.*)$/.exec(value || '');
  if (!m) return null;
  const parts = {};
  for (const item of m[1].split(',')) {
    const eq = item.indexOf('=');
    if (eq > 0) parts[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  if (!parts.Credential || !parts.SignedHeaders || !parts.Signature) return null;
  const scope = parts.Credential.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') return null;
  return {
    accessKeyId: scope[0], date: scope[1], region: scope[2], service: scope[3],
    signedHeaders: parts.SignedHeaders.split(';'), signature: parts.Signature,
  };
}

// The decoded query of a raw URL as the signer wants it: key -> value or
// array of values.
function parseQuery(raw) {
  const query = {};
  if (!raw) return query;
  for (const piece of raw.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const k = decode(eq < 0 ? piece : piece.slice(0, eq));
    const v = eq < 0 ? '' : decode(piece.slice(eq + 1));
    if (k in query) query[k] = [].concat(query[k], v);
    else query[k] = v;
  }
  return query;
}

function decode(s) {
  try { return decodeURIComponent(s); } catch { return s; }
}

// "20261125T101500Z" -> Date, or null.
function parseAmzDate(s) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s || '');
  if (!m) return null;
  return new Date(Date.UTC(+m[1], m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

function sha256hex(body) {
  return crypto.createHash('sha256').update(body).digest('hex');
}

// Verify the signed request. ${lookup}(accessKeyId) gives the key's record
// ({secretAccessKey, sessionToken?, expiration?}) or null. Returns
// {ok: true, auth, key} or {ok: false, code, message}; codes: Missing,
// UnknownKey, BadSignature, Skewed, Expired, BadToken, BadHash.
async function verify(req, body, lookup, now) {
  const auth = parseAuthorization(req.headers.authorization);
  if (!auth) return { ok: false, code: 'Missing', message: 'Missing Authentication Token' };
  const key = lookup(auth.accessKeyId);
  if (!key) return { ok: false, code: 'UnknownKey', auth,
    message: 'The security token included in the request is invalid.' };
  const token = req.headers['x-amz-security-token'];
  if ((key.sessionToken || token) && key.sessionToken !== token) {
    return { ok: false, code: 'BadToken', auth,
      message: 'The security token included in the request is invalid.' };
  }
  if (key.expiration && now >= key.expiration) {
    return { ok: false, code: 'Expired', auth,
      message: 'The security token included in the request is expired' };
  }
  const amzDate = req.headers['x-amz-date'];
  const when = parseAmzDate(amzDate);
  if (!when || amzDate.slice(0, 8) !== auth.date) {
    return { ok: false, code: 'BadSignature', auth,
      message: 'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP' };
  }
  if (Math.abs(now - when.getTime()) > SKEW_MS) {
    return { ok: false, code: 'Skewed', auth, when,
      message: `Signature expired: ${amzDate} is now earlier than ${fmt(now - SKEW_MS)} (${fmt(now)} - 5 min.)` };
  }
  const declared = req.headers['x-amz-content-sha256'];
  if (declared && declared !== 'UNSIGNED-PAYLOAD' && declared !== sha256hex(body)) {
    return { ok: false, code: 'BadHash', auth,
      message: 'The provided \'x-amz-content-sha256\' header does not match what was computed.' };
  }

  // Rebuild the request with exactly the headers the client signed.
  const [path, rawQuery] = splitUrl(req.url);
  const headers = {};
  for (const name of auth.signedHeaders) {
    const v = req.headers[name];
    if (v === undefined) {
      return { ok: false, code: 'BadSignature', auth,
        message: `Signed header ${name} is missing from the request` };
    }
    headers[name] = Array.isArray(v) ? v.join(',') : v;
  }
  const s3 = auth.service === 's3';
  const signer = new SignatureV4({
    service: auth.service, region: auth.region, sha256: Sha256,
    uriEscapePath: !s3, applyChecksum: false,
    credentials: {
      accessKeyId: auth.accessKeyId, secretAccessKey: key.secretAccessKey,
      sessionToken: auth.signedHeaders.includes('x-amz-security-token') ? token : undefined,
    },
  });
  const signed = await signer.sign({
    method: req.method, protocol: 'http:', hostname: headers.host || '', path,
    query: parseQuery(rawQuery), headers, body,
  }, { signingDate: when, signableHeaders: new Set(auth.signedHeaders) });
  const got = /Signature=([0-9a-f]+)/.exec(signed.headers.authorization)[1];
  if (!crypto.timingSafeEqual(Buffer.from(got), Buffer.from(auth.signature.padEnd(got.length).slice(0, got.length))) ||
      auth.signature.length !== got.length) {
    return { ok: false, code: 'BadSignature', auth,
      message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.' };
  }
  return { ok: true, auth, key };
}

function splitUrl(url) {
  const q = url.indexOf('?');
  return q < 0 ? [url, ''] : [url.slice(0, q), url.slice(q + 1)];
}

function fmt(ms) {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

module.exports = { verify, parseAuthorization, parseQuery, splitUrl, sha256hex };

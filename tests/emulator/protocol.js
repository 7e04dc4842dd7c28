'use strict';
// Replies and errors in each AWS wire protocol: AWS JSON 1.0/1.1, query
// with XML replies, and REST-XML (S3).

const crypto = require('node:crypto');

function requestId() { return crypto.randomUUID(); }

function xmlEscape(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&apos;' }[c]));
}

// An object as XML elements: {A: 1, B: [{C: 2}]} -> <A>1</A><B><member>...
// Arrays become <member> lists (the query protocol's shape) unless
// ${flat} names the element to repeat.
function toXml(obj) {
  let out = '';
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) {
      out += `<${k}>${v.map((m) => `<member>${typeof m === 'object' ? toXml(m) : xmlEscape(m)}</member>`).join('')}</${k}>`;
    } else if (typeof v === 'object') {
      out += `<${k}>${toXml(v)}</${k}>`;
    } else {
      out += `<${k}>${xmlEscape(v)}</${k}>`;
    }
  }
  return out;
}

function send(res, status, type, body, headers = {}) {
  const id = requestId();
  // Encoded once: the length and the write share the bytes.
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
  res.writeHead(status, Object.assign({
    'content-type': type, 'content-length': buf.length,
    'x-amzn-requestid': id, 'x-amz-request-id': id,
  }, headers));
  res.end(buf);
}

const json = {
  reply(res, version, obj) {
    send(res, 200, `application/x-amz-json-${version}`, JSON.stringify(obj));
  },
  // ${queryCode}: a service that used to speak query (CloudWatch) also
  // names its error as the query protocol did, in x-amzn-query-error.
  error(res, version, status, type, message, prefix = '', queryCode = null) {
    const headers = { 'x-amzn-errortype': type };
    if (queryCode) headers['x-amzn-query-error'] = `${queryCode};${status >= 500 ? 'Receiver' : 'Sender'}`;
    send(res, status, `application/x-amz-json-${version}`,
      JSON.stringify({ __type: prefix + type, message }), headers);
  },
};

const query = {
  // <ActionResponse xmlns><ActionResult>...</ActionResult><ResponseMetadata>
  reply(res, ns, action, result) {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${ns}">` +
      `<${action}Result>${toXml(result)}</${action}Result>` +
      `<ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata>` +
      `</${action}Response>`;
    send(res, 200, 'text/xml', body);
  },
  error(res, ns, status, code, message, type = 'Sender') {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${ns}">` +
      `<Error><Type>${type}</Type><Code>${xmlEscape(code)}</Code>` +
      `<Message>${xmlEscape(message)}</Message></Error>` +
      `<RequestId>${requestId()}</RequestId></ErrorResponse>`;
    send(res, status, 'text/xml', body);
  },
};

const restXml = {
  reply(res, body, headers = {}) {
    send(res, 200, 'application/xml', `<?xml version="1.0" encoding="UTF-8"?>\n${body}`, headers);
  },
  error(res, status, code, message, extra = {}) {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlEscape(code)}</Code>` +
      `<Message>${xmlEscape(message)}</Message>${toXml(extra)}` +
      `<RequestId>${requestId()}</RequestId></Error>`;
    send(res, status, 'application/xml', body);
  },
};

// REST-JSON (Savings Plans): the error's name in x-amzn-ErrorType, the
// message in the body.
const restJson = {
  reply(res, obj) {
    send(res, 200, 'application/json', JSON.stringify(obj));
  },
  error(res, status, code, message) {
    send(res, status, 'application/json', JSON.stringify({ message }),
      { 'x-amzn-errortype': code });
  },
};

// How each protocol reports a failed signature check (sigv4.verify codes).
const AUTH_ERRORS = {
  json: {
    Missing: [400, 'MissingAuthenticationTokenException'],
    UnknownKey: [400, 'UnrecognizedClientException'],
    BadToken: [400, 'UnrecognizedClientException'],
    BadSignature: [400, 'InvalidSignatureException'],
    Skewed: [400, 'InvalidSignatureException'],
    Expired: [400, 'ExpiredTokenException'],
    BadHash: [400, 'InvalidSignatureException'],
  },
  query: {
    Missing: [403, 'MissingAuthenticationToken'],
    UnknownKey: [403, 'InvalidClientTokenId'],
    BadToken: [403, 'InvalidClientTokenId'],
    BadSignature: [403, 'SignatureDoesNotMatch'],
    Skewed: [403, 'SignatureDoesNotMatch'],
    Expired: [400, 'ExpiredToken'],
    BadHash: [403, 'SignatureDoesNotMatch'],
  },
  restJson: {
    Missing: [403, 'MissingAuthenticationTokenException', 'Missing Authentication Token'],
    UnknownKey: [403, 'UnrecognizedClientException', 'The security token included in the request is invalid.'],
    BadToken: [403, 'UnrecognizedClientException', 'The security token included in the request is invalid.'],
    BadSignature: [403, 'InvalidSignatureException'],
    Skewed: [403, 'InvalidSignatureException'],
    Expired: [403, 'ExpiredTokenException', 'The security token included in the request is expired'],
    BadHash: [403, 'InvalidSignatureException'],
  },
  s3: {
    Missing: [403, 'AccessDenied', 'Access Denied'],
    UnknownKey: [403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.'],
    BadToken: [400, 'InvalidToken', 'The provided token is malformed or otherwise invalid.'],
    BadSignature: [403, 'SignatureDoesNotMatch'],
    Skewed: [403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.'],
    Expired: [400, 'ExpiredToken', 'The provided token has expired.'],
    BadHash: [400, 'XAmzContentSHA256Mismatch'],
  },
};

module.exports = { json, query, restXml, restJson, toXml, xmlEscape, AUTH_ERRORS, send };

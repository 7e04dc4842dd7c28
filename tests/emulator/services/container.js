'use strict';
// The container credentials endpoint (ECS task role, EKS Pod Identity):
// GET /v2/credentials/<id> with the announced token in Authorization
// gives the task role's temporary credentials (the management account's,
// which sign requests to this emulator). Unsigned; a client reaches it as
// AWS_CONTAINER_CREDENTIALS_FULL_URI=$EMULATOR_CONTAINER_URI with
// AWS_CONTAINER_AUTHORIZATION_TOKEN=$EMULATOR_CONTAINER_TOKEN.

const crypto = require('node:crypto');
const { issue } = require('./sts.js');

const ROLE = 'optima-task-role';
const PREFIX = '/v2/credentials/';

function match(req) {
  const p = req.url.split('?')[0];
  return p === PREFIX.slice(0, -1) || p.startsWith(PREFIX);
}

// The id and token are derived from the management account's secret:
// stable for an organization, unguessable without it.
function derive(ctx, what) {
  return crypto.createHmac('sha256', ctx.org.keys[0].secretAccessKey).update(what).digest('hex');
}
function id(ctx) {
  const h = derive(ctx, 'container-id');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
function token(ctx) { return derive(ctx, 'container-token').slice(0, 48); }
function path(ctx) { return `${PREFIX}${id(ctx)}`; }

function send(res, status, obj) {
  const body = JSON.stringify(obj);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

// Errors as the ECS agent words them.
function error(res, status, code, message) {
  send(res, status, { code, message, HTTPErrorCode: status });
}

function handle(ctx, req, res) {
  if (req.method !== 'GET') return error(res, 405, 'InvalidRequest', 'Method not allowed');
  if (req.headers.authorization !== token(ctx)) {
    return error(res, 401, 'AccessDenied', 'CredentialsV2Request: Authorization token is missing or invalid');
  }
  const want = req.url.split('?')[0];
  if (want === PREFIX || want === PREFIX.slice(0, -1)) {
    return error(res, 400, 'NoIdInRequest', 'CredentialsV2Request: No ID in the request');
  }
  if (want !== path(ctx)) {
    return error(res, 400, 'InvalidIdInRequest', 'CredentialsV2Request: Credentials not found');
  }
  const roleArn = `arn:aws:iam::${ctx.org.management}:role/${ROLE}`;
  const c = issue(ctx, ctx.org.management,
    `arn:aws:sts::${ctx.org.management}:assumed-role/${ROLE}/${id(ctx)}`, ctx.sessionSeconds);
  return send(res, 200, { RoleArn: roleArn, AccessKeyId: c.AccessKeyId,
    SecretAccessKey: c.SecretAccessKey, Token: c.SessionToken, Expiration: c.Expiration });
}

function env(ctx, endpoint) {
  return [
    `export EMULATOR_CONTAINER_PATH=${path(ctx)}`,
    `export EMULATOR_CONTAINER_URI=${endpoint}${path(ctx)}`,
    `export EMULATOR_CONTAINER_TOKEN=${token(ctx)}`,
  ];
}

module.exports = { protocol: 'rest', match, handle, env, error, ROLE };

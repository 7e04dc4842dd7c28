'use strict';
// STS: GetCallerIdentity, AssumeRole, AssumeRoleWithWebIdentity (query
// protocol, XML replies).

const crypto = require('node:crypto');

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function token(n, alphabet) {
  const bytes = crypto.randomBytes(n);
  let s = '';
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return s;
}

// Temporary credentials for ${account} acting as ${arn}, registered with
// the server so that they sign later requests. With --session-seconds N
// they stop working after N seconds whatever their Expiration says, so
// that clients meet ExpiredToken mid-run.
function issue(ctx, account, arn, duration) {
  const now = ctx.now();
  const key = {
    accessKeyId: `ASIA${token(16, ALNUM)}`,
    secretAccessKey: crypto.randomBytes(30).toString('base64'),
    sessionToken: crypto.randomBytes(120).toString('base64'),
    expiration: now + Math.min(duration, ctx.sessionSeconds || duration) * 1000,
    account, arn,
  };
  ctx.keys.set(key.accessKeyId, key);
  return {
    AccessKeyId: key.accessKeyId, SecretAccessKey: key.secretAccessKey,
    SessionToken: key.sessionToken,
    Expiration: new Date(now + duration * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

function fail(status, code, message) {
  return Object.assign(new Error(message), { status, code });
}

// "arn:aws:iam::123456789012:role/Name" -> [account, name], checked.
function role(ctx, roleArn) {
  const m = /^arn:aws[a-z-]*:iam::(\d{12}):role\/([\w+=,.@/-]+)$/.exec(roleArn || '');
  if (!m) throw fail(400, 'ValidationError', `${roleArn} is not a valid role ARN`);
  return [m[1], m[2]];
}

function duration(p) {
  const d = p.DurationSeconds === undefined ? 3600 : Number(p.DurationSeconds);
  if (!Number.isInteger(d) || d < 900 || d > 43200) {
    throw fail(400, 'ValidationError', `1 validation error detected: Value '${p.DurationSeconds}' at 'durationSeconds' failed to satisfy constraint`);
  }
  return d;
}

const actions = {
  GetCallerIdentity(ctx) {
    const k = ctx.key;
    return { UserId: k.arn ? `AROA${k.accessKeyId.slice(4)}:${k.arn.split('/').pop()}` : k.accessKeyId,
      Account: k.account, Arn: k.arn || `arn:aws:iam::${k.account}:user/optima` };
  },

  AssumeRole(ctx, p) {
    const [account, name] = role(ctx, p.RoleArn);
    if (!p.RoleSessionName) throw fail(400, 'ValidationError', 'RoleSessionName is required');
    const caller = ctx.key.arn || `arn:aws:iam::${ctx.key.account}:user/optima`;
    const target = ctx.org.accounts.find((a) => a.id === account);
    if (!target || target.state !== 'ACTIVE' || name !== ctx.org.roleName ||
        ctx.denied(account)) {
      throw fail(403, 'AccessDenied', `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${p.RoleArn}`);
    }
    const arn = `arn:aws:sts::${account}:assumed-role/${name}/${p.RoleSessionName}`;
    return { Credentials: issue(ctx, account, arn, duration(p)),
      AssumedRoleUser: { AssumedRoleId: `AROA${token(16, ALNUM)}:${p.RoleSessionName}`, Arn: arn } };
  },

  AssumeRoleWithWebIdentity(ctx, p) {
    const [account, name] = role(ctx, p.RoleArn);
    if (!p.WebIdentityToken || p.WebIdentityToken.split('.').length !== 3) {
      throw fail(400, 'InvalidIdentityToken', 'Couldn\'t retrieve verification key from your identity provider');
    }
    if (!ctx.org.accounts.some((a) => a.id === account)) {
      throw fail(403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
    }
    const session = p.RoleSessionName || 'web-identity';
    const arn = `arn:aws:sts::${account}:assumed-role/${name}/${session}`;
    return { Credentials: issue(ctx, account, arn, duration(p)),
      SubjectFromWebIdentityToken: 'system:serviceaccount:optima:optima',
      AssumedRoleUser: { AssumedRoleId: `AROA${token(16, ALNUM)}:${session}`, Arn: arn },
      Provider: 'oidc.example.com', Audience: 'sts.amazonaws.com' };
  },
};

module.exports = { protocol: 'query', ns: NS, actions, unsigned: ['AssumeRoleWithWebIdentity'], issue };

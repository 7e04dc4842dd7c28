'use strict';
// EC2 DescribeRegions (the EC2 dialect of the query protocol: no Result
// wrapper, <item> lists, lower-case names): the regions enabled for the
// caller's account are the organization's regions; with AllRegions=true
// the partition's other commercial regions follow as not opted in.

const { send, xmlEscape } = require('../protocol.js');

const NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
// The aws partition's regions (botocore partitions.json).
const ALL = ['af-south-1', 'ap-east-1', 'ap-northeast-1', 'ap-northeast-2',
  'ap-northeast-3', 'ap-south-1', 'ap-south-2', 'ap-southeast-1', 'ap-southeast-2',
  'ap-southeast-3', 'ap-southeast-4', 'ca-central-1', 'ca-west-1', 'eu-central-1',
  'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2',
  'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1', 'sa-east-1', 'us-east-1',
  'us-east-2', 'us-west-1', 'us-west-2'];

function item(name, status) {
  return `<item><regionName>${xmlEscape(name)}</regionName>` +
    `<regionEndpoint>ec2.${xmlEscape(name)}.amazonaws.com</regionEndpoint>` +
    `<optInStatus>${status}</optInStatus></item>`;
}

function error(res, status, code, message) {
  send(res, status, 'text/xml', `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors>` +
    `<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error></Errors>` +
    `<RequestID>${require('node:crypto').randomUUID()}</RequestID></Response>`);
}

function handle(ctx, req, res, body) {
  const p = Object.fromEntries(new URLSearchParams(body.toString()));
  if (p.Action !== 'DescribeRegions') {
    return error(res, 400, 'InvalidAction', `The action ${p.Action} is not valid for this web service.`);
  }
  if (ctx.denied(ctx.account, ctx.region)) {
    return error(res, 403, 'UnauthorizedOperation', 'You are not authorized to perform this operation.');
  }
  const enabled = ctx.org.regions;
  let items = enabled.map((r) => item(r, 'opt-in-not-required'));
  if (p.AllRegions === 'true') {
    items = items.concat(ALL.filter((r) => !enabled.includes(r)).map((r) => item(r, 'not-opted-in')));
  }
  send(res, 200, 'text/xml', `<?xml version="1.0" encoding="UTF-8"?>\n<DescribeRegionsResponse ` +
    `xmlns="${NS}"><requestId>${require('node:crypto').randomUUID()}</requestId>` +
    `<regionInfo>${items.join('')}</regionInfo></DescribeRegionsResponse>`);
}

module.exports = { protocol: 'rest', authErrors: 'query', handle };

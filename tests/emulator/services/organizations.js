'use strict';
// Organizations (AWS JSON 1.1): ListAccounts.

const { page, fail } = require('./dynamodb.js');

const actions = {
  ListAccounts(ctx, p) {
    if (ctx.account !== ctx.org.management) {
      throw fail(400, 'AccessDeniedException', 'You don\'t have permissions to access this resource.');
    }
    const max = p.MaxResults === undefined ? 20 : p.MaxResults;
    if (!Number.isInteger(max) || max < 1 || max > 20) {
      throw fail(400, 'InvalidInputException', 'You provided a value that does not match the required pattern.');
    }
    const all = ctx.org.accounts.map((a) => ({
      Id: a.id,
      Arn: `arn:aws:organizations::${ctx.org.management}:account/o-emulator/${a.id}`,
      Email: a.email, Name: a.name,
      Status: a.state === 'ACTIVE' ? 'ACTIVE' : 'SUSPENDED', State: a.state,
      JoinedMethod: a.id === ctx.org.management ? 'CREATED' : 'INVITED',
      JoinedTimestamp: Date.UTC(2023, 0, 1) / 1000,
    }));
    const [items, next] = page(all, max, p.NextToken);
    return next ? { Accounts: items, NextToken: next } : { Accounts: items };
  },
};

module.exports = { protocol: 'json', version: '1.1', target: 'AWSOrganizationsV20161128', actions };

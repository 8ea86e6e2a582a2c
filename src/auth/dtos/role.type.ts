import { registerEnumType } from 'type-graphql';
import { ApiKeyScope, Role, Scope } from '../principal';

registerEnumType(Role, { name: 'Role' });
registerEnumType(Scope, { name: 'Scope', valuesConfig: { ADMIN: { description: 'Platform admin' }, USAGE_WRITE: { description: 'Metering service' } } });

export { Role, Scope };

registerEnumType(ApiKeyScope, {
  name: 'ApiKeyScope',
  description: 'What an API key may do. A key is refused (FORBIDDEN, the scope named) on any root field its scopes do not cover.',
  valuesConfig: {
    CUSTOMERS_READ: { description: '`customers:read`: the account (`account`, `me`) and, for a partner, its customers (`partnerCustomers`).' },
    TRANSFERS_WRITE: { description: '`transfers:write`: transfers, transfer batches, reclaims and auto-transfer rules.' },
    REPORTS_READ: { description: '`reports:read`: the partner reports, in GraphQL and as CSV (`/reports/*.csv`).' },
    WEBHOOKS_MANAGE: { description: '`webhooks:manage`: webhook endpoints, their deliveries, test events and balance thresholds.' },
    USAGE_READ: { description: '`usage:read`: balances, credit history (also `/history.csv`), promotional grants and top-ups.' },
  },
});

export { ApiKeyScope };

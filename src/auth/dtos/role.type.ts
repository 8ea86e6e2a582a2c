import { registerEnumType } from 'type-graphql';
import { Role, Scope } from '../principal';

registerEnumType(Role, { name: 'Role' });
registerEnumType(Scope, { name: 'Scope', valuesConfig: { ADMIN: { description: 'Platform admin' }, USAGE_WRITE: { description: 'Metering service' } } });

export { Role, Scope };

import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Account } from '../../accounts/dtos/account.type';
import { Role, Scope } from '../principal';

registerEnumType(Role, { name: 'Role' });
registerEnumType(Scope, { name: 'Scope', valuesConfig: { ADMIN: { description: 'Platform admin' }, USAGE_WRITE: { description: 'Metering service' } } });

@ObjectType({ description: 'Who is calling: a user of an account, or a service.' })
export class Viewer {
  @Field(() => ID, { description: 'The user or service id (the token subject).' })
  subject!: string;

  @Field(() => Role, { nullable: true })
  role!: Role | null;

  @Field(() => [Scope])
  scopes!: Scope[];

  @Field(() => Account, { nullable: true, description: 'The user account; null for services.' })
  account!: Account | null;
}

import { Field, ID, ObjectType } from 'type-graphql';
import { Role, Scope } from '../../auth/dtos/role.type';
import { Account } from './account.type';

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

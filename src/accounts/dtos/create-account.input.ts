import { Field, ID, InputType } from 'type-graphql';
import { AccountKind, AccountStatus } from '../account.enums';

@InputType()
export class CreateAccountInput {
  @Field(() => ID, { nullable: true, description: 'Optional id (3-40 of a-z, 0-9, -); a UUID is generated otherwise.' })
  id?: string | null;

  @Field(() => AccountKind)
  kind!: AccountKind;

  @Field()
  name!: string;

  @Field({ description: 'Two-letter country code.' })
  region!: string;

  @Field(() => ID, { nullable: true, description: 'For a partner-managed CUSTOMER: its partner.' })
  partnerId?: string | null;

  @Field(() => AccountStatus, { nullable: true, description: 'Defaults to PENDING.' })
  status?: AccountStatus | null;
}

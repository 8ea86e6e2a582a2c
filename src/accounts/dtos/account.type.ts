import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { AccountKind, AccountStatus, BillingEntityType } from '../account.enums';

registerEnumType(AccountKind, { name: 'AccountKind', description: 'CUSTOMER buys or receives credits; PARTNER resells to its customers.' });
registerEnumType(AccountStatus, { name: 'AccountStatus' });
registerEnumType(BillingEntityType, { name: 'BillingEntityType' });

@ObjectType({ description: 'A customer or partner account. Balances, billing information and credit history hang off it.' })
export class Account {
  @Field(() => ID)
  id!: string;

  @Field(() => AccountKind)
  kind!: AccountKind;

  @Field(() => AccountStatus)
  status!: AccountStatus;

  @Field({ description: 'ISO 3166-1 alpha-2 country code. VN opens VNPay and PayPal.' })
  region!: string;

  @Field()
  name!: string;

  @Field(() => ID, { nullable: true, description: 'The partner that manages this customer; null for a direct customer.' })
  partnerId!: string | null;

  @Field({
    description:
      'True while the top-up balance is below zero (below minus the credit limit, for a partner that has one): usage overdrew it, or a refund or dispute took back credits already spent (then reversalHold too).',
  })
  depleted!: boolean;

  @Field({
    description:
      'True while a refund or dispute at the payment provider has left the top-up balance below zero: no credits leave the account (transfers, bulk transfers, auto-transfers, reclaims; code REVERSAL_HOLD) until it is back at zero or above.',
  })
  reversalHold!: boolean;

  @Field()
  createdAt!: Date;
}

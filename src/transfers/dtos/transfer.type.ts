import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { CreditsScalar } from '../../common/credits.scalar';
import { Balances } from '../../ledger/dtos/balances.type';

@InputType({ description: 'A transfer of credits from your partner account to one of your customers.' })
export class TransferCreditsInput {
  @Field(() => ID)
  customerAccountId!: string;

  @Field(() => CreditsScalar, { description: 'More than zero, at most six decimal places.' })
  amount!: bigint;

  @Field({ description: 'Retrying with the same key returns the first transfer; a different transfer needs a new key.' })
  idempotencyKey!: string;

  @Field(() => String, { nullable: true, description: "Shown in both accounts' credit history (at most 255 characters)." })
  note?: string | null;

  @Field({ defaultValue: false, description: 'Validate and return the balances as they would be after, moving nothing and consuming no key.' })
  dryRun!: boolean;
}

@ObjectType({ description: 'A completed partner → customer transfer.', simpleResolvers: true })
export class CreditTransfer {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  partnerAccountId!: string;

  @Field(() => ID)
  customerAccountId!: string;

  @Field(() => CreditsScalar)
  amount!: bigint;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field()
  createdAt!: Date;
}

@ObjectType({ simpleResolvers: true })
export class TransferCreditsPayload {
  @Field({ description: 'True when this was a dry run: nothing moved.' })
  dryRun!: boolean;

  @Field(() => CreditTransfer, { nullable: true, description: 'The transfer; null for a dry run.' })
  transfer!: CreditTransfer | null;

  @Field(() => Balances, { description: "The partner's balances right after the transfer (or as they would be, for a dry run)." })
  partnerBalances!: Balances;

  @Field(() => Balances, { description: "The customer's balances right after the transfer (or as they would be, for a dry run)." })
  customerBalances!: Balances;
}

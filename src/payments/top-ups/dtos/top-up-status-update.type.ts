import { Field, ID, ObjectType } from 'type-graphql';
import { CreditsScalar } from '../../../common/credits.scalar';
import { TopUpFailureCode } from '../failure-reasons';
import { TopUpStatus } from '../top-up.enums';

@ObjectType({
  description:
    "A top-up's status with the account's balances: first as it is when you subscribe, then after each change (payment completion, failure, cancellation, expiry, refund).",
})
export class TopUpStatusUpdate {
  @Field(() => ID, {
    description: 'The outbox event id; increases with every event, so a client can drop duplicates. 0 on the first message (the top-up when you subscribed).',
  })
  eventId!: string;

  @Field(() => ID)
  topUpId!: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => TopUpStatus)
  status!: TopUpStatus;

  @Field(() => CreditsScalar)
  amount!: bigint;

  @Field(() => CreditsScalar)
  reversedAmount!: bigint;

  @Field(() => String, { nullable: true, description: 'In English; failureMessage(locale) for other languages.' })
  failureReason!: string | null;

  @Field(() => TopUpFailureCode, {
    nullable: true,
    description: 'Why it failed, was canceled or expired, as a stable code; on a PENDING top-up, why the last attempt failed (the buyer may try again).',
  })
  failureCode!: TopUpFailureCode | null;

  @Field(() => CreditsScalar, { description: 'The account total balance right after the change.' })
  totalBalance!: bigint;

  @Field(() => CreditsScalar)
  topUpBalance!: bigint;

  @Field(() => CreditsScalar)
  promotionalBalance!: bigint;

  @Field()
  occurredAt!: Date;
}

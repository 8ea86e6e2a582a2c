import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CreditsScalar } from '../../common/credits.scalar';
import { Balances } from '../../balances/dtos/balances.type';
import { UsageEventStatus } from '../usage.service';

registerEnumType(UsageEventStatus, {
  name: 'UsageEventStatus',
  description: 'APPLIED now; DUPLICATE: this event id was already applied (earlier, or earlier in the batch); REFUSED: see code.',
});

@InputType({ description: 'One consumption event from the metering service.' })
export class UsageEventInput {
  @Field({ description: "The metering service's id for the event (1 to 100 of letters, digits, . _ : -); applied once." })
  eventId!: string;

  @Field(() => ID)
  accountId!: string;

  @Field({ description: 'The service that consumed the credits, e.g. "compute" (at most 64 characters).' })
  service!: string;

  @Field(() => CreditsScalar)
  amount!: bigint;

  @Field({ description: 'When the consumption happened.' })
  occurredAt!: Date;
}

@ObjectType({ description: 'What happened to one event of the batch.', simpleResolvers: true })
export class UsageEventResult {
  @Field()
  eventId!: string;

  @Field(() => UsageEventStatus)
  status!: UsageEventStatus;

  @Field(() => String, { nullable: true, description: 'For REFUSED: NOT_FOUND, BAD_USER_INPUT, ACCOUNT_NOT_ACTIVE or IDEMPOTENCY_KEY_REUSED.' })
  code!: string | null;

  @Field(() => String, { nullable: true })
  message!: string | null;

  @Field(() => CreditsScalar, { nullable: true, description: 'For APPLIED: the part drawn from promotional grants.' })
  promotionalAmount!: bigint | null;

  @Field(() => CreditsScalar, { nullable: true, description: 'For APPLIED: the part drawn from the top-up balance (may overdraw it).' })
  topUpAmount!: bigint | null;

  @Field(() => Balances, { nullable: true, description: 'For APPLIED: the balances right after this event.' })
  balances!: Balances | null;
}

@ObjectType({ simpleResolvers: true })
export class RecordUsagePayload {
  @Field(() => [UsageEventResult], { description: 'One result per event, in the order sent.' })
  results!: UsageEventResult[];

  @Field(() => Int)
  appliedCount!: number;

  @Field(() => Int)
  duplicateCount!: number;

  @Field(() => Int)
  refusedCount!: number;
}

@ObjectType({ description: 'Usage took the top-up balance of an account below zero; the platform may suspend its resources.', simpleResolvers: true })
export class AccountDepletion {
  @Field(() => ID, { description: 'The outbox event id.' })
  eventId!: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => CreditsScalar, { description: 'The (negative) top-up balance when it happened.' })
  topUpBalance!: bigint;

  @Field(() => CreditsScalar)
  totalBalance!: bigint;
}

import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CreditsScalar } from '../../../common/credits.scalar';
import { PageInfo } from '../../../common/page-info';
import { AutoTransferFiringStatus, AutoTransferRefusalCode, AutoTransferRuleStatus } from '../auto-transfer.enums';

registerEnumType(AutoTransferRuleStatus, { name: 'AutoTransferRuleStatus' });
registerEnumType(AutoTransferFiringStatus, { name: 'AutoTransferFiringStatus', description: 'Where one crossing of the threshold stands.' });
registerEnumType(AutoTransferRefusalCode, { name: 'AutoTransferRefusalCode', description: 'Why a firing moved nothing.' });

@ObjectType({ description: "One downward crossing of a rule's threshold and what came of it." })
export class AutoTransferFiring {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'When the movement that crossed the threshold was posted.' })
  crossedAt!: Date;

  @Field(() => CreditsScalar, { description: "The customer's total balance right after that movement." })
  totalBalanceAfterCrossing!: bigint;

  @Field(() => AutoTransferFiringStatus)
  status!: AutoTransferFiringStatus;

  @Field(() => CreditsScalar, { nullable: true, description: 'The amount decided (target minus the balance then, within the monthly cap).' })
  amount!: bigint | null;

  @Field(() => ID, { nullable: true, description: 'The transfer made (SUCCEEDED).' })
  transferId!: string | null;

  @Field(() => AutoTransferRefusalCode, { nullable: true })
  refusalCode!: AutoTransferRefusalCode | null;

  @Field(() => String, { nullable: true, description: 'Why it was refused or skipped.' })
  message!: string | null;

  @Field(() => Date, { nullable: true })
  completedAt!: Date | null;
}

@ObjectType({
  description:
    "A partner's standing order for one customer: when the customer's total balance falls below `threshold`, transfer enough " +
    "from the partner's top-up balance to reach `targetBalance`, at most `monthlyCap` per calendar month (UTC).",
})
export class AutoTransferRule {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  partnerAccountId!: string;

  @Field(() => ID)
  customerAccountId!: string;

  @Field(() => AutoTransferRuleStatus)
  status!: AutoTransferRuleStatus;

  @Field(() => CreditsScalar)
  threshold!: bigint;

  @Field(() => CreditsScalar)
  targetBalance!: bigint;

  @Field(() => CreditsScalar)
  monthlyCap!: bigint;

  @Field(() => CreditsScalar, { description: 'What the rule transferred (or is transferring) this calendar month, UTC.' })
  transferredThisMonth!: bigint;

  @Field(() => Date, { nullable: true, description: 'When a firing last ended in a transfer or a refusal.' })
  lastFiredAt!: Date | null;

  @Field(() => AutoTransferFiring, { nullable: true, description: 'The newest firing (any status).' })
  lastFiring!: AutoTransferFiring | null;

  @Field(() => Int, { description: 'Firings refused since the rule was made.' })
  refusalCount!: number;

  @Field(() => AutoTransferRefusalCode, { nullable: true })
  lastRefusalCode!: AutoTransferRefusalCode | null;

  @Field(() => Date, { nullable: true })
  lastRefusalAt!: Date | null;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

@InputType()
export class SetAutoTransferRuleInput {
  @Field(() => ID, { description: 'One of your customers.' })
  customerAccountId!: string;

  @Field(() => CreditsScalar, { description: 'X: fire when the total balance falls below this.' })
  threshold!: bigint;

  @Field(() => CreditsScalar, { description: 'Y: transfer enough to reach this total balance (above the threshold).' })
  targetBalance!: bigint;

  @Field(() => CreditsScalar, { description: 'Z: at most this much per calendar month (UTC).' })
  monthlyCap!: bigint;
}

@ArgsType()
export class AutoTransferRulesArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 1 to GRAPHQL_MAX_PAGE_SIZE (default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;
}

@ArgsType()
export class AutoTransferFiringsArgs {
  @Field(() => Int, { nullable: true, description: 'How many, newest first: 1 to GRAPHQL_MAX_PAGE_SIZE (default 20).' })
  first?: number | null;

  @Field(() => ID, { nullable: true, description: 'Only firings older than this one (the id of the last one shown).' })
  before?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Only the refused ones.' })
  refusedOnly?: boolean | null;
}

@ObjectType()
export class AutoTransferRuleEdge {
  @Field()
  cursor!: string;

  @Field(() => AutoTransferRule)
  node!: AutoTransferRule;
}

@ObjectType()
export class AutoTransferRuleConnection {
  @Field(() => [AutoTransferRuleEdge])
  edges!: AutoTransferRuleEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ description: "How a firing of one of the partner's rules ended (also sent as the AUTO_TRANSFER_* webhooks)." })
export class AutoTransferOutcomeEvent {
  @Field(() => ID)
  eventId!: string;

  @Field(() => ID)
  ruleId!: string;

  @Field(() => ID)
  firingId!: string;

  @Field(() => ID)
  customerAccountId!: string;

  @Field(() => AutoTransferFiringStatus, { description: 'SUCCEEDED or REFUSED.' })
  status!: AutoTransferFiringStatus;

  @Field(() => CreditsScalar, { nullable: true })
  amount!: bigint | null;

  @Field(() => ID, { nullable: true })
  transferId!: string | null;

  @Field(() => AutoTransferRefusalCode, { nullable: true })
  refusalCode!: AutoTransferRefusalCode | null;

  @Field(() => String, { nullable: true })
  message!: string | null;

  @Field()
  occurredAt!: Date;
}

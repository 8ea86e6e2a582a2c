import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CreditsScalar } from '../../common/credits.scalar';
import { Role } from '../../auth/dtos/role.type';
import { TopUpReportEntryKind } from '../reports.types';
import { ReportPeriod } from './report-period.input';

registerEnumType(TopUpReportEntryKind, {
  name: 'TopUpReportEntryKind',
  description: "A transfer to a customer or a reclaim from one, or a top-up (or its reversal) or the platform admin's adjustment of the partner itself.",
});

@ObjectType({ description: 'One transfer to a customer, one reclaim from a customer, or one top-up of the partner account.', simpleResolvers: true })
export class CreditTopUpReportRow {
  @Field()
  occurredAt!: Date;

  @Field(() => TopUpReportEntryKind)
  kind!: TopUpReportEntryKind;

  @Field(() => ID, { description: 'The customer for a transfer or a reclaim; the partner for its own top-ups.' })
  accountId!: string;

  @Field()
  accountName!: string;

  @Field(() => CreditsScalar, {
    description:
      "What the account received: positive for transfers and top-ups, negative for reclaims (taken back from the customer) and reversals, signed for the admin's adjustments.",
  })
  amount!: bigint;

  @Field(() => String, { nullable: true, description: 'The transfer, reclaim or top-up reference.' })
  reference!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The `sub` of the partner user who made a transfer or a reclaim; null for top-ups and for transfers made before actors were recorded.',
  })
  actor!: string | null;

  @Field(() => Role, { nullable: true, description: "That user's role in the partner account when it made the transfer or reclaim." })
  actorRole!: Role | null;

  @Field(() => String, {
    nullable: true,
    description: 'The name of the API key that made the transfer or reclaim (`actor` is then `apikey:<key id>`); null when a user did.',
  })
  actorName!: string | null;
}

@ObjectType({ description: 'What one customer received from the partner over the period, and what the partner took back.', simpleResolvers: true })
export class CustomerTransfers {
  @Field(() => ID)
  customerId!: string;

  @Field()
  customerName!: string;

  @Field(() => CreditsScalar, { description: 'Received in transfers.' })
  amount!: bigint;

  @Field(() => Int)
  transferCount!: number;

  @Field(() => CreditsScalar, { description: 'Taken back by the partner in reclaims (positive).' })
  reclaimed!: bigint;

  @Field(() => Int)
  reclaimCount!: number;
}

@ObjectType({ description: "Credits the partner transferred to (and reclaimed from) each customer, and the partner's own top-ups.", simpleResolvers: true })
export class CreditTopUpReport {
  @Field(() => ReportPeriod)
  period!: ReportPeriod;

  @Field(() => [CreditTopUpReportRow], { description: 'In time order; at most 10000 (the CSV has no limit). The CSV has exactly these rows.' })
  rows!: CreditTopUpReportRow[];

  @Field(() => [CustomerTransfers], { description: 'Every customer, zero when it received nothing.' })
  customers!: CustomerTransfers[];

  @Field(() => CreditsScalar)
  totalTransferred!: bigint;

  @Field(() => CreditsScalar, { description: 'Taken back from customers (positive).' })
  totalReclaimed!: bigint;

  @Field(() => CreditsScalar, { description: "The partner's own top-ups net of reversals and refunds." })
  partnerTopUps!: bigint;
}

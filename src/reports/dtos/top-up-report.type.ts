import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CreditsScalar } from '../../common/credits.scalar';
import { Role } from '../../auth/dtos/role.type';
import { TopUpReportEntryKind } from '../reports.types';
import { ReportPeriod } from './report-period.input';

registerEnumType(TopUpReportEntryKind, {
  name: 'TopUpReportEntryKind',
  description: 'A transfer to a customer, or a top-up (or its reversal) of the partner itself.',
});

@ObjectType({ description: 'One transfer to a customer, or one top-up of the partner account.' })
export class CreditTopUpReportRow {
  @Field()
  occurredAt!: Date;

  @Field(() => TopUpReportEntryKind)
  kind!: TopUpReportEntryKind;

  @Field(() => ID, { description: 'The customer for a transfer; the partner for its own top-ups.' })
  accountId!: string;

  @Field()
  accountName!: string;

  @Field(() => CreditsScalar, { description: 'Positive for transfers and top-ups, negative for reversals.' })
  amount!: bigint;

  @Field(() => String, { nullable: true, description: 'The transfer or top-up reference.' })
  reference!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The `sub` of the partner user who made a transfer; null for top-ups and for transfers made before actors were recorded.',
  })
  actor!: string | null;

  @Field(() => Role, { nullable: true, description: "That user's role in the partner account when it made the transfer." })
  actorRole!: Role | null;
}

@ObjectType({ description: 'What one customer received from the partner over the period.' })
export class CustomerTransfers {
  @Field(() => ID)
  customerId!: string;

  @Field()
  customerName!: string;

  @Field(() => CreditsScalar)
  amount!: bigint;

  @Field(() => Int)
  transferCount!: number;
}

@ObjectType({ description: "Credits the partner transferred to each customer, and the partner's own top-ups." })
export class CreditTopUpReport {
  @Field(() => ReportPeriod)
  period!: ReportPeriod;

  @Field(() => [CreditTopUpReportRow], { description: 'In time order; at most 10000 (the CSV has no limit). The CSV has exactly these rows.' })
  rows!: CreditTopUpReportRow[];

  @Field(() => [CustomerTransfers], { description: 'Every customer, zero when it received nothing.' })
  customers!: CustomerTransfers[];

  @Field(() => CreditsScalar)
  totalTransferred!: bigint;

  @Field(() => CreditsScalar, { description: "The partner's own top-ups net of reversals." })
  partnerTopUps!: bigint;
}

import { Field, ID, Int, ObjectType } from 'type-graphql';
import { CreditsScalar } from '../../common/credits.scalar';
import { ReportPeriod } from './report-period.input';

@ObjectType({ description: "One customer's consumption of one service on one local day.", simpleResolvers: true })
export class CreditUsageRow {
  @Field(() => ID)
  customerId!: string;

  @Field()
  customerName!: string;

  @Field({ description: 'The local calendar day (YYYY-MM-DD) in the report time zone.' })
  date!: string;

  @Field({ description: 'The consuming service; "unknown" for usage recorded without one.' })
  service!: string;

  @Field(() => CreditsScalar, { description: 'Credits consumed (positive).' })
  amount!: bigint;

  @Field(() => Int, { description: 'Usage events recorded.' })
  eventCount!: number;
}

@ObjectType({ description: "A customer's consumption over the whole period.", simpleResolvers: true })
export class CustomerUsage {
  @Field(() => ID)
  customerId!: string;

  @Field()
  customerName!: string;

  @Field(() => CreditsScalar)
  amount!: bigint;

  @Field(() => Int)
  eventCount!: number;
}

@ObjectType({ description: "Credits consumed by the partner's customers, per customer, service and day.", simpleResolvers: true })
export class CreditUsageReport {
  @Field(() => ReportPeriod)
  period!: ReportPeriod;

  @Field(() => [CreditUsageRow], { description: 'Sorted by customer name, date, service. The CSV has exactly these rows.' })
  rows!: CreditUsageRow[];

  @Field(() => [CustomerUsage], { description: 'Every customer, zero when it consumed nothing.' })
  customers!: CustomerUsage[];

  @Field(() => CreditsScalar)
  totalUsage!: bigint;

  @Field(() => Int)
  eventCount!: number;
}

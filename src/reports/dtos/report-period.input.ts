import { Field, InputType, ObjectType } from 'type-graphql';
import { DEFAULT_REPORT_TIME_ZONE, MAX_REPORT_PERIOD_DAYS } from '../report-period';

@InputType({
  description: `A report period [from, to): both on whole hours, at most ${MAX_REPORT_PERIOD_DAYS} days long. Days are counted in timeZone, an IANA zone whose UTC offset is whole hours throughout the period.`,
})
export class ReportPeriodInput {
  @Field({ description: 'Inclusive start, e.g. 2026-11-01T00:00:00+07:00.' })
  from!: Date;

  @Field({ description: 'Exclusive end.' })
  to!: Date;

  @Field(() => String, { defaultValue: DEFAULT_REPORT_TIME_ZONE, description: 'IANA time zone the days are counted in.' })
  timeZone!: string;
}

@ObjectType({ description: 'The period a report covers.', simpleResolvers: true })
export class ReportPeriod {
  @Field()
  from!: Date;

  @Field()
  to!: Date;

  @Field()
  timeZone!: string;
}

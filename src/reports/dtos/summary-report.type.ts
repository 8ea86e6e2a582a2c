import { Field, ID, ObjectType } from 'type-graphql';
// AccountKind is registered as a GraphQL enum by the accounts DTOs.
import '../../accounts/dtos/account.type';
import { AccountKind } from '../../accounts/account.enums';
import { CreditsScalar } from '../../common/credits.scalar';
import { ReportPeriod } from './report-period.input';

@ObjectType({ description: 'Balance movements over the period; openingBalance + creditsIn - creditsOut = closingBalance, exactly.', simpleResolvers: true })
export class CreditSummaryTotals {
  @Field(() => CreditsScalar, { description: 'Total balance at the start of the period.' })
  openingBalance!: bigint;

  @Field(() => CreditsScalar, { description: 'Received from the partner.' })
  transfersIn!: bigint;

  @Field(() => CreditsScalar, { description: 'Bought with a payment.' })
  topUps!: bigint;

  @Field(() => CreditsScalar, { description: 'Promotional credits granted by the platform.' })
  grants!: bigint;

  @Field(() => CreditsScalar, { description: 'Unused credits taken back from customers (the partner line only).' })
  reclaimsIn!: bigint;

  @Field(() => CreditsScalar, { description: 'Given back when a dispute of a top-up was decided for the platform (what its reversal had taken).' })
  disputesWon!: bigint;

  @Field(() => CreditsScalar, {
    description: "The platform admin's adjustments (ADJUSTMENT) of the period, net, when they added credits (otherwise 0 and the net is in adjustmentsOut).",
  })
  adjustmentsIn!: bigint;

  @Field(() => CreditsScalar, { description: 'transfersIn + topUps + grants + reclaimsIn + disputesWon + adjustmentsIn.' })
  creditsIn!: bigint;

  @Field(() => CreditsScalar, { description: 'Consumed (positive).' })
  usage!: bigint;

  @Field(() => CreditsScalar, { description: 'Promotional credits that expired unused (positive).' })
  expiry!: bigint;

  @Field(() => CreditsScalar, { description: 'Transferred to customers (the partner line only; positive).' })
  transfersOut!: bigint;

  @Field(() => CreditsScalar, { description: 'Top-ups taken back by a refund or chargeback made at the provider (positive).' })
  reversals!: bigint;

  @Field(() => CreditsScalar, {
    description: 'Top-ups refunded by the platform (refundTopUp; positive), net of refunds the provider refused, whose credits came back.',
  })
  refunds!: bigint;

  @Field(() => CreditsScalar, { description: 'Unused credits the partner took back (a customer line; positive).' })
  reclaimsOut!: bigint;

  @Field(() => CreditsScalar, {
    description:
      "The platform admin's adjustments (ADJUSTMENT) of the period, net, when they took credits (positive; otherwise 0 and the net is in adjustmentsIn).",
  })
  adjustmentsOut!: bigint;

  @Field(() => CreditsScalar, { description: 'What was left of promotional grants, voided by the platform admin (PROMOTIONAL_VOID; positive).' })
  voids!: bigint;

  @Field(() => CreditsScalar, { description: 'usage + expiry + transfersOut + reversals + refunds + reclaimsOut + adjustmentsOut + voids.' })
  creditsOut!: bigint;

  @Field(() => CreditsScalar, { description: 'Total balance at the end of the period.' })
  closingBalance!: bigint;
}

@ObjectType({ description: 'One account of the summary: a customer, or the partner itself.', simpleResolvers: true })
export class CreditSummaryLine extends CreditSummaryTotals {
  @Field(() => ID)
  accountId!: string;

  @Field()
  accountName!: string;

  @Field(() => AccountKind)
  accountKind!: AccountKind;

  @Field(() => CreditsScalar, {
    description:
      "What the account owes at the period's end: minus its top-up balance when below zero (a partner drawing on its credit limit, or usage that overdrew), else 0.",
  })
  owedAtClose!: bigint;
}

@ObjectType({
  description: "Every customer's opening balance, credits in and out, and closing balance; reconciles to the micro-credit.",
  simpleResolvers: true,
})
export class CreditSummaryReport {
  @Field(() => ReportPeriod)
  period!: ReportPeriod;

  @Field(() => [CreditSummaryLine], { description: "The customers by name, then the partner's own account last. The CSV has exactly these rows." })
  lines!: CreditSummaryLine[];

  @Field(() => CreditSummaryTotals, {
    description: "The customer lines summed (the partner line excluded: its transfers out are the customers' transfers in).",
  })
  customerTotals!: CreditSummaryTotals;
}

import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Balances } from '../../balances/dtos/balances.type';
import { CreditsScalar } from '../../common/credits.scalar';
import { PromotionalGrant } from '../../promotions/dtos/grant.type';
import { CorrectableWallet, CorrectionKind } from '../corrections.enums';

@ObjectType({ description: 'A correction by the platform admin: an adjustment, a grant voided, or a grant’s expiry changed.', simpleResolvers: true })
export class CreditCorrection {
  @Field(() => ID, { description: 'The correction id.' })
  id!: string;

  @Field(() => CorrectionKind, { description: 'What the correction did.' })
  kind!: CorrectionKind;

  @Field(() => ID, { description: 'The account corrected.' })
  accountId!: string;

  @Field(() => CorrectableWallet, { nullable: true, description: 'The wallet that moved; null for an expiry change.' })
  wallet!: CorrectableWallet | null;

  @Field(() => CreditsScalar, { description: 'Signed: what the wallet moved by (negative for a void; 0 for an expiry change).' })
  amount!: bigint;

  @Field(() => ID, { nullable: true, description: 'The grant voided, moved, or (for a positive promotional adjustment) created.' })
  grantId!: string | null;

  @Field(() => Date, { nullable: true, description: 'An expiry change: the expiry before (null: never expired).' })
  previousExpiresAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'An expiry change: the expiry after (null: never expires).' })
  newExpiresAt!: Date | null;

  @Field({ description: 'Why, as the admin gave it; shown in the credit history.' })
  reason!: string;

  @Field({ description: 'When it was made.' })
  createdAt!: Date;
}

@InputType({ description: 'A signed adjustment of one wallet of an account, with its reason.' })
export class AdjustBalanceInput {
  @Field(() => ID, { description: 'The account to adjust.' })
  accountId!: string;

  @Field(() => CorrectableWallet, { description: 'The wallet to move.' })
  wallet!: CorrectableWallet;

  @Field(() => CreditsScalar, { description: 'Signed and non-zero: positive adds credits, negative takes them out.' })
  amount!: bigint;

  @Field({ description: 'Required; shown in the credit history and the audit trail.' })
  reason!: string;

  @Field({ description: 'Retrying with the same key (per account) returns the first adjustment.' })
  idempotencyKey!: string;
}

@InputType({ description: 'The grant whose remainder to void, and why.' })
export class VoidPromotionalGrantInput {
  @Field(() => ID, { description: 'The grant (PromotionalGrant.id).' })
  grantId!: string;

  @Field({ description: 'Required; shown in the credit history and the audit trail. A retry with the same reason returns the first void.' })
  reason!: string;
}

@InputType({ description: "A grant's new expiry, and why." })
export class ChangePromotionalGrantExpiryInput {
  @Field(() => ID, { description: 'The grant (PromotionalGrant.id).' })
  grantId!: string;

  @Field(() => Date, { nullable: true, description: 'The new expiry: in the future, at most ten years away; null: never expires.' })
  expiresAt!: Date | null;

  @Field({ description: 'Required; recorded in the audit trail.' })
  reason!: string;
}

@ObjectType({ description: 'The adjustment made (or, for a replay, the first one) and the balances right after it.' })
export class AdjustBalancePayload {
  @Field(() => CreditCorrection, { description: 'The adjustment.' })
  correction!: CreditCorrection;

  @Field(() => Balances, { description: 'The account balances right after the adjustment.' })
  balances!: Balances;
}

@ObjectType({ description: 'The void (or, for a retry, the first one), the grant and the balances right after it.' })
export class VoidPromotionalGrantPayload {
  @Field(() => CreditCorrection, { description: 'The void.' })
  correction!: CreditCorrection;

  @Field(() => PromotionalGrant, { description: 'The grant, VOIDED.' })
  grant!: PromotionalGrant;

  @Field(() => Balances, { description: 'The account balances right after the void.' })
  balances!: Balances;
}

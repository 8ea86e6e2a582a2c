import { registerEnumType } from 'type-graphql';

/** What a correction did. */
export enum CorrectionKind {
  /** A wallet moved by a signed amount (adjustBalance). */
  ADJUSTMENT = 'ADJUSTMENT',
  /** What was left of a promotional grant, voided (voidPromotionalGrant). */
  PROMOTIONAL_GRANT_VOID = 'PROMOTIONAL_GRANT_VOID',
  /** A promotional grant's expiry moved (changePromotionalGrantExpiry); no credits move. */
  PROMOTIONAL_GRANT_EXPIRY_CHANGE = 'PROMOTIONAL_GRANT_EXPIRY_CHANGE',
}

/** The wallets a correction may adjust: an account's own two. */
export enum CorrectableWallet {
  TOPUP = 'TOPUP',
  PROMOTIONAL = 'PROMOTIONAL',
}

registerEnumType(CorrectionKind, {
  name: 'CorrectionKind',
  description: 'What a correction by the platform admin did.',
  valuesConfig: {
    ADJUSTMENT: { description: 'A wallet moved by a signed amount (adjustBalance).' },
    PROMOTIONAL_GRANT_VOID: { description: 'What was left of a promotional grant, voided (voidPromotionalGrant).' },
    PROMOTIONAL_GRANT_EXPIRY_CHANGE: { description: "A promotional grant's expiry moved (changePromotionalGrantExpiry); no credits moved." },
  },
});
registerEnumType(CorrectableWallet, {
  name: 'CorrectableWallet',
  description: "Which of an account's wallets an adjustment moves.",
  valuesConfig: {
    TOPUP: { description: 'Credits bought or received from a partner (topUpBalance).' },
    PROMOTIONAL: {
      description:
        'Promotional credits (promotionalBalance): a positive adjustment is a grant that never expires; a negative one draws grants soonest expiry first.',
    },
  },
});

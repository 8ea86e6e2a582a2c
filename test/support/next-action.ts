import { NextAction, NextActionType } from '../../src/payments/providers/payment-provider';

/** The URL a started payment sends the browser to (a REDIRECT_TO_URL next action; throws for any other). */
export function redirectUrlOf(started: { nextAction: NextAction }): string {
  if (started.nextAction.type !== NextActionType.REDIRECT_TO_URL) throw new Error(`expected a redirect, got ${started.nextAction.type}`);
  return started.nextAction.url;
}

import type Stripe from 'stripe';
import { NextActionType } from '../../src/payments/providers/payment-provider';
import { nextActionOf } from '../../src/payments/providers/stripe.gateway';

type Intent = Pick<Stripe.PaymentIntent, 'next_action'>;

describe("Stripe's next_action as a next action", () => {
  it('is USE_STRIPE_SDK while the intent waits for its card (no next action yet): Stripe.js collects it', () => {
    expect(nextActionOf({ next_action: null })).toEqual({ type: NextActionType.USE_STRIPE_SDK });
  });

  it('is USE_STRIPE_SDK when Stripe asks for its SDK (3-D Secure)', () => {
    expect(nextActionOf({ next_action: { type: 'use_stripe_sdk', use_stripe_sdk: {} } } as Intent)).toEqual({ type: NextActionType.USE_STRIPE_SDK });
  });

  it('is REDIRECT_TO_URL with the URL Stripe names in redirect_to_url', () => {
    const url = 'https://hooks.example.test/redirect/authenticate/src_123';
    const intent = { next_action: { type: 'redirect_to_url', redirect_to_url: { url, return_url: 'https://console.example.test/back' } } } as Intent;
    expect(nextActionOf(intent)).toEqual({ type: NextActionType.REDIRECT_TO_URL, url });
  });

  it('is USE_STRIPE_SDK for a redirect without a URL, and for kinds it does not know (Stripe.js handles them)', () => {
    expect(nextActionOf({ next_action: { type: 'redirect_to_url', redirect_to_url: { url: null, return_url: null } } } as Intent)).toEqual({
      type: NextActionType.USE_STRIPE_SDK,
    });
    expect(nextActionOf({ next_action: { type: 'verify_with_microdeposits' } } as Intent)).toEqual({ type: NextActionType.USE_STRIPE_SDK });
  });
});

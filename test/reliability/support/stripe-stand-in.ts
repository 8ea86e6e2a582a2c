import { Answer, send } from './client';

/** The Stripe stand-in a top-up's card page is on (the server process that created it runs it). */
export const standInOf = (topUp: { payment: { nextAction: { url: string } } }) => new URL(topUp.payment.nextAction.url).origin;

/** Pays a card top-up at the Stripe stand-in, which then holds a charge to refund and delivers payment_intent.succeeded. */
export const payAtStandIn = (standIn: string, topUp: { providerReference: string }): Promise<Answer> =>
  send(`${standIn}/_stand-in/payment_intents/${encodeURIComponent(topUp.providerReference)}/succeed`, { method: 'POST' });

/** The card network settles a refund made through the stand-in's API (its webhook delivered to the server). */
export const settleAtStandIn = (standIn: string, providerRefundReference: string, outcome: 'succeeded' | 'failed', query = ''): Promise<Answer> =>
  send(`${standIn}/_stand-in/refunds/${encodeURIComponent(providerRefundReference)}/${outcome}${query}`, { method: 'POST' });

/** The events of a type the Stripe stand-in signed about a top-up's PaymentIntent, oldest first, each with what to post again. */
export async function stripeEventsOf(standIn: string, topUp: { providerReference: string }, type: string): Promise<any[]> {
  const answer = await send(`${standIn}/_stand-in/events`, { method: 'GET' });
  return (answer.body as any[])
    .filter((signed) => signed.event.type === type && signed.event.data.object.payment_intent === topUp.providerReference)
    .map((signed) => ({ ...signed.event, signed: { body: signed.payload, signature: signed.signatureHeader } }));
}

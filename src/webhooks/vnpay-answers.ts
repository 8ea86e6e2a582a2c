import { WebhookSignatureError } from '../payment-providers/payment-provider';
import { escapeHtml } from './html';
import type { WebhookDependencies } from './webhooks.router';

export interface VnpayIpnAnswer {
  RspCode: '00' | '01' | '02' | '04' | '97' | '99';
  Message: string;
}

/**
 * VNPay's IPN contract: always HTTP 200 with this JSON, checked in exactly this order: checksum
 * (97), order exists (01), amount (04), order still open (02), then record and confirm (00).
 * Anything unexpected is 99, and VNPay retries.
 */
export async function vnpayIpnAnswer(dependencies: WebhookDependencies, query: Record<string, string>): Promise<VnpayIpnAnswer> {
  try {
    let event;
    try {
      event = dependencies.gateways.vnpay.verifyCallback(query);
    } catch (error) {
      if (error instanceof WebhookSignatureError) return { RspCode: '97', Message: 'Invalid Checksum' };
      throw error;
    }
    const result = await dependencies.paymentEvents.apply(event);
    switch (result.kind) {
      case 'UNKNOWN_TOP_UP':
        return { RspCode: '01', Message: 'Order not found' };
      case 'AMOUNT_MISMATCH':
        return { RspCode: '04', Message: 'Invalid amount' };
      case 'ALREADY_FINAL':
      case 'DUPLICATE':
        return { RspCode: '02', Message: 'Order already confirmed' };
      case 'APPLIED':
      case 'IGNORED':
        return { RspCode: '00', Message: 'Confirm Success' };
      default:
        return { RspCode: '99', Message: 'Unknown error' };
    }
  } catch (error) {
    dependencies.logger.error({ err: error }, 'VNPay IPN failed');
    return { RspCode: '99', Message: 'Unknown error' };
  }
}

/**
 * The page VNPay sends the browser back to. It verifies the signature and SHOWS the outcome; it
 * never credits (only the IPN does), so a forged or replayed return URL changes nothing.
 */
export async function vnpayReturnPage(dependencies: WebhookDependencies, query: Record<string, string>): Promise<string> {
  let event;
  try {
    event = dependencies.gateways.vnpay.verifyCallback(query);
  } catch (error) {
    if (error instanceof WebhookSignatureError) {
      return resultPage('Payment result could not be verified', 'The link is damaged or was changed. Your top-up status is in the console.', null);
    }
    dependencies.logger.error({ err: error }, 'VNPay return page failed');
    return resultPage('Something went wrong', 'Your top-up status is in the console.', null);
  }
  const topUp = event.topUpId ? await dependencies.topUps.findById(event.topUpId) : null;
  if (!topUp) return resultPage('Unknown payment', 'We have no top-up for this payment.', null);
  const paid = event.outcome === 'SUCCEEDED';
  const heading = paid ? 'Payment received' : 'Payment not completed';
  const detail = paid
    ? `VNPay reports the payment as successful. Top-up status: ${topUp.status}${topUp.status === 'SUCCEEDED' ? ' — the credits are in your balance.' : ' — the credits appear as soon as VNPay confirms it to us.'}`
    : `VNPay reports: ${event.reason ?? 'the payment did not go through'}. Top-up status: ${topUp.status}.`;
  return resultPage(heading, detail, returnLink(topUp.returnUrl, topUp.id));
}

function returnLink(returnUrl: string, topUpId: string): string {
  const url = new URL(returnUrl);
  url.searchParams.set('topUpId', topUpId);
  return url.toString();
}

function resultPage(heading: string, detail: string, backUrl: string | null): string {
  const back = backUrl ? `<p><a href="${escapeHtml(backUrl)}">Back to the console</a></p>` : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(heading)}</title></head><body><h1>${escapeHtml(heading)}</h1><p>${escapeHtml(detail)}</p>${back}</body></html>`;
}

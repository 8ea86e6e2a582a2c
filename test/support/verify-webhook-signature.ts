/**
 * The documented verification recipe (docs/guides/webhooks-and-thresholds.md). It lives in src/demo/webhook-receiver/ because the demo's own
 * receiver verifies with it too; the tests verify every delivery with the same code.
 */
export { verifyCreditsSignature } from '../../src/demo/webhook-receiver/verify-credits-signature';

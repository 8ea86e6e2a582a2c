import { z } from 'zod';
import { AccountDepleted, AccountReversalHold, CreditLimitChanged } from '../../src/accounts/account-events';
import { balanceDecreases, BalanceChanged, type BalanceChangedPayload, downwardCrossings } from '../../src/balances/balance-events';
import { BalanceLow } from '../../src/balances/thresholds/balance-low-events';
import { BalanceMeasure } from '../../src/balances/thresholds/balance-measure';
import { defineEvent, type EventDefinition, instant, micros, type OutboxEvent } from '../../src/common/event-definition';
import { CreditMovementType } from '../../src/ledger/ledger.enums';
import { WebhookEndpointDisabled, WebhookPing } from '../../src/notifications/webhooks/webhook-events';
import { AutoTransferOutcome } from '../../src/partners/auto-transfers/auto-transfer-events';
import { AutoTransferFiringStatus, AutoTransferRefusalCode } from '../../src/partners/auto-transfers/auto-transfer.enums';
import { AutoRechargeOutcome } from '../../src/payments/auto-recharge/auto-recharge-events';
import { AutoRechargeEventType, AutoRechargeStatus } from '../../src/payments/auto-recharge/auto-recharge.enums';
import { CreditNoteIssued, DebitNoteIssued, ReceiptIssued } from '../../src/payments/receipts/receipt-events';
import { CreditNoteReason, DebitNoteReason } from '../../src/payments/receipts/receipt.enums';
import { TopUpStatusChanged } from '../../src/payments/top-ups/top-up-events';
import { TopUpStatus } from '../../src/payments/top-ups/top-up.enums';

const at = new Date('2026-03-01T10:20:30.456Z');
/** Beyond 2^53: exact only as a string on the wire. */
const huge = 123_456_789_012_345_678_901n;

const balanceChanged: BalanceChangedPayload = {
  accountId: 'acc-1',
  topUpMicros: huge,
  promotionalMicros: 0n,
  totalMicros: huge,
  movementType: CreditMovementType.TRANSFER_OUT,
  amountMicros: -5_000_000n,
  occurredAt: at,
};

/** One valid payload per event type the product declares. */
const SAMPLES: [EventDefinition<any>, unknown][] = [
  [BalanceChanged, balanceChanged],
  [BalanceChanged, { ...balanceChanged, topUpBeforeMicros: huge + 5_000_000n }],
  [
    BalanceLow,
    {
      accountId: 'acc-1',
      measure: BalanceMeasure.AVAILABLE_TO_TRANSFER,
      thresholdMicros: 10n,
      balanceBeforeMicros: 12n,
      balanceMicros: 7n,
      totalBeforeMicros: -40n,
      totalMicros: -40n,
      movementType: null,
      amountMicros: -5n,
      occurredAt: at,
      sourceEventId: 41,
    },
  ],
  [
    CreditLimitChanged,
    { accountId: 'partner-1', limitBeforeMicros: 100_000_000n, limitMicros: 50_000_000n, topUpMicros: -huge, totalMicros: -huge, occurredAt: at },
  ],
  [AccountDepleted, { accountId: 'acc-1', topUpMicros: -1n, totalMicros: 3n }],
  [AccountReversalHold, { accountId: 'acc-1', held: true, topUpMicros: -huge, totalMicros: -huge, reference: 'topup:tu-1' }],
  [
    TopUpStatusChanged,
    {
      topUpId: 'tu-1',
      accountId: 'acc-1',
      status: TopUpStatus.FAILED,
      amountMicros: 20_000_000n,
      reversedMicros: 0n,
      failureReason: 'The card was declined.',
      failureCode: 'CARD_DECLINED',
      topUpMicros: 1n,
      promotionalMicros: 2n,
      totalMicros: 3n,
      occurredAt: at,
    },
  ],
  [
    AutoRechargeOutcome,
    {
      accountId: 'acc-1',
      type: AutoRechargeEventType.SKIPPED,
      topUpId: null,
      amountMicros: null,
      reason: 'TOP_UP_OPEN',
      consecutiveFailures: 0,
      ruleStatus: AutoRechargeStatus.ACTIVE,
      occurredAt: at,
    },
  ],
  [
    AutoTransferOutcome,
    {
      accountId: 'partner-1',
      ruleId: '3',
      firingId: '9',
      customerAccountId: 'acc-1',
      status: AutoTransferFiringStatus.REFUSED,
      amountMicros: null,
      transferId: null,
      refusalCode: AutoTransferRefusalCode.INSUFFICIENT_CREDITS,
      message: 'no credits',
      thresholdMicros: 50n,
      targetMicros: 100n,
      totalAfterMicros: 40n,
      crossedAt: at,
      occurredAt: at,
    },
  ],
  [WebhookEndpointDisabled, { accountId: 'acc-1', endpointId: 'ep-1', url: 'https://example.test/hook', reason: '5 failed attempts', disabledAt: at }],
  [WebhookPing, { accountId: 'acc-1', endpointId: 'ep-1', requestedAt: at }],
  [
    ReceiptIssued,
    {
      receiptId: '12',
      accountId: 'acc-1',
      topUpId: 'tu-1',
      number: 'RC-2026-000012',
      amountMicros: 250_000_000n,
      currency: 'VND',
      totalMinor: '6500000',
      issuedAt: at,
    },
  ],
  [
    CreditNoteIssued,
    {
      creditNoteId: '3',
      reason: CreditNoteReason.DISPUTE,
      accountId: 'acc-1',
      receiptId: '12',
      topUpId: 'tu-1',
      number: 'CN-2026-000003',
      amountMicros: 25_500_000n,
      currency: 'USD',
      totalMinor: '2550',
      issuedAt: at,
    },
  ],
  [
    DebitNoteIssued,
    {
      debitNoteId: '1',
      creditNoteId: '3',
      reason: DebitNoteReason.DISPUTE_WON,
      accountId: 'acc-1',
      receiptId: '12',
      topUpId: 'tu-1',
      number: 'DN-2026-000001',
      amountMicros: 25_500_000n,
      currency: 'USD',
      totalMinor: '2550',
      issuedAt: at,
    },
  ],
];

const asEvent = <P>(type: EventDefinition<P>, payload: P, id = 1): OutboxEvent<P> => ({ id, type, key: type.keyOf(payload), createdAt: at, payload });

describe('event definitions', () => {
  it.each(SAMPLES.map(([type, payload]) => [type.topic, type, payload] as const))(
    '%s: a valid payload round-trips through its JSON wire form',
    (_topic, type, payload) => {
      const wire = JSON.parse(JSON.stringify(type.encode(payload)));
      expect(type.read(type.version, wire)).toEqual({ ok: true, payload });
      expect(type.readPublished({ ...wire, eventId: 7 })).toEqual({ ...(payload as object), eventId: 7 });
    },
  );

  it('writes money as exact decimal strings and moments as ISO strings, in the wire format subscribers and webhooks have always had', () => {
    expect(JSON.stringify(BalanceChanged.encode(balanceChanged))).toBe(
      '{"accountId":"acc-1","topUpMicros":"123456789012345678901","promotionalMicros":"0","totalMicros":"123456789012345678901",' +
        '"movementType":"TRANSFER_OUT","amountMicros":"-5000000","occurredAt":"2026-03-01T10:20:30.456Z"}',
    );
    expect(BalanceChanged.keyOf(balanceChanged)).toBe('acc-1');
  });

  it('refuses to write a payload that does not fit its schema', () => {
    expect(() => BalanceChanged.encode({ ...balanceChanged, amountMicros: '5' as unknown as bigint })).toThrow(z.ZodError);
    expect(() => BalanceChanged.encode({ ...balanceChanged, movementType: 'GIFT' as CreditMovementType })).toThrow(z.ZodError);
  });

  it.each([
    ['money that is not an integer string', { amountMicros: '1.5' }],
    ['money as a JSON number', { amountMicros: 5 }],
    ['a moment that is not ISO-8601', { occurredAt: 'yesterday' }],
    ['an unknown movement type', { movementType: 'GIFT' }],
    ['a missing field', { accountId: undefined }],
  ])('does not read a stored payload with %s', (_case, change) => {
    const wire = { ...BalanceChanged.encode(balanceChanged), ...change };
    const result = BalanceChanged.read(1, wire);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain('BALANCE_CHANGED v1');
    expect(BalanceChanged.readPublished({ ...wire, eventId: 1 })).toBeNull();
  });

  it('does not read a published message without an event id', () => {
    expect(BalanceChanged.readPublished(BalanceChanged.encode(balanceChanged))).toBeNull();
  });

  it('does not read a version newer than it knows, nor an older one it has no upgrade from', () => {
    const wire = BalanceChanged.encode(balanceChanged);
    expect(BalanceChanged.read(2, wire)).toEqual({ ok: false, reason: 'BALANCE_CHANGED v2 is newer than this release reads (v1)' });

    const v2 = defineEvent({ topic: 'EXAMPLE', version: 2, schema: z.object({ accountId: z.string(), amountMicros: micros }), keyOf: (p) => p.accountId });
    expect(v2.read(1, { accountId: 'a', amountMicros: '1' })).toEqual({ ok: false, reason: 'EXAMPLE v1 has no upgrade to v2' });
  });

  it('reads an older version through its upgrade', () => {
    const v2 = defineEvent({
      topic: 'EXAMPLE',
      version: 2,
      schema: z.object({ accountId: z.string(), amountMicros: micros, at: instant }),
      keyOf: (p) => p.accountId,
      // v1 carried the amount in whole credits as a number and no moment.
      upgrade: (wire) => {
        const old = wire as { accountId: string; credits: number };
        return { accountId: old.accountId, amountMicros: String(BigInt(old.credits) * 1_000_000n), at: '1970-01-01T00:00:00.000Z' };
      },
    });
    expect(v2.read(1, { accountId: 'a', credits: 3 })).toEqual({ ok: true, payload: { accountId: 'a', amountMicros: 3_000_000n, at: new Date(0) } });
  });

  it('reads a BALANCE_LOW of version 1 (total balance only) as a crossing of the total', () => {
    const v1 = {
      accountId: 'acc-1',
      thresholdMicros: '10',
      totalBeforeMicros: '12',
      totalMicros: '7',
      movementType: 'USAGE',
      amountMicros: '-5',
      occurredAt: at.toISOString(),
      sourceEventId: 41,
    };
    expect(BalanceLow.read(1, v1)).toEqual({
      ok: true,
      payload: {
        accountId: 'acc-1',
        measure: BalanceMeasure.TOTAL,
        thresholdMicros: 10n,
        balanceBeforeMicros: 12n,
        balanceMicros: 7n,
        totalBeforeMicros: 12n,
        totalMicros: 7n,
        movementType: CreditMovementType.USAGE,
        amountMicros: -5n,
        occurredAt: at,
        sourceEventId: 41,
      },
    });
  });

  it('refuses a version that is not a positive integer', () => {
    expect(() => defineEvent({ topic: 'EXAMPLE', version: 0, schema: z.object({ a: z.string() }), keyOf: (p) => p.a })).toThrow(/positive integer/);
  });

  it('picks its own events out of a batch, typed, in batch order', () => {
    const batch: OutboxEvent[] = [
      asEvent(BalanceChanged, balanceChanged, 1),
      asEvent(WebhookPing, { accountId: 'acc-1', endpointId: 'ep-1', requestedAt: at }, 2),
      asEvent(BalanceChanged, { ...balanceChanged, amountMicros: 1n }, 3),
    ];
    expect(BalanceChanged.of(batch).map((event) => event.id)).toEqual([1, 3]);
    expect(WebhookPing.matches(batch[1])).toBe(true);
    expect(BalanceChanged.matches(batch[1])).toBe(false);
  });

  it('announces by webhook only what has a webhook: a transfer, not a usage movement', () => {
    expect(BalanceChanged.webhookOf(balanceChanged)).toEqual({
      type: 'TRANSFER_OUT',
      accountId: 'acc-1',
      data: {
        amount: '-5.000000',
        balances: { totalBalance: '123456789012345.678901', topUpBalance: '123456789012345.678901', promotionalBalance: '0.000000' },
        occurredAt: '2026-03-01T10:20:30.456Z',
      },
    });
    expect(BalanceChanged.webhookOf({ ...balanceChanged, movementType: CreditMovementType.USAGE })).toBeNull();
  });
});

describe('the downward-crossing rule', () => {
  const movement = (id: number, totalAfter: bigint, amount: bigint, accountId = 'acc-1') =>
    asEvent(BalanceChanged, { ...balanceChanged, accountId, totalMicros: totalAfter, amountMicros: amount }, id);

  it('crosses T exactly when before >= T > after', () => {
    const thresholds = () => [100n, 50n, 10n];
    // 120 → 50: crosses 100, not 50 (after = 50 is not below it).
    expect(downwardCrossings([movement(1, 50n, -70n)], thresholds).map((c) => c.thresholdMicros)).toEqual([100n]);
    // 50 → 49: crosses 50 (before = 50 counts).
    expect(downwardCrossings([movement(2, 49n, -1n)], thresholds)).toEqual([
      { source: movement(2, 49n, -1n), accountId: 'acc-1', thresholdMicros: 50n, totalBeforeMicros: 50n, totalAfterMicros: 49n },
    ]);
    // 49 → 5: crosses 10 only (already below 50).
    expect(downwardCrossings([movement(3, 5n, -44n)], thresholds).map((c) => c.thresholdMicros)).toEqual([10n]);
  });

  it('considers only the decreases of a batch, with each account’s own thresholds', () => {
    const batch: OutboxEvent[] = [
      movement(1, 150n, 100n), // an increase
      movement(2, 40n, -20n, 'acc-2'),
      asEvent(AccountDepleted, { accountId: 'acc-1', topUpMicros: -1n, totalMicros: 0n }, 3),
    ];
    const decreases = balanceDecreases(batch);
    expect(decreases.map((event) => event.id)).toEqual([2]);
    const crossings = downwardCrossings(decreases, (accountId) => (accountId === 'acc-2' ? [50n] : [1000n]));
    expect(crossings.map((c) => [c.accountId, c.thresholdMicros])).toEqual([['acc-2', 50n]]);
  });
});

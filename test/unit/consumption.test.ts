import { planConsumption } from '../../src/promotions/consumption';

const grant = (id: number, remainingMicros: bigint, expiresAt: string | null) => ({ id, remainingMicros, expiresAt: expiresAt ? new Date(expiresAt) : null });

describe('the consumption order (planConsumption)', () => {
  const grants = [
    grant(1, 10n, null),
    grant(2, 10n, '2030-03-01T00:00:00Z'),
    grant(3, 10n, '2030-01-01T00:00:00Z'),
    grant(4, 10n, null),
    grant(5, 0n, '2029-01-01T00:00:00Z'),
  ];

  it('draws the soonest expiry first, then later ones, then never-expiring grants oldest first', () => {
    expect(planConsumption(grants, 35n)).toEqual({
      draws: [
        { grantId: 3, amountMicros: 10n },
        { grantId: 2, amountMicros: 10n },
        { grantId: 1, amountMicros: 10n },
        { grantId: 4, amountMicros: 5n },
      ],
      promotionalMicros: 35n,
      topUpMicros: 0n,
    });
  });

  it('takes the rest from the top-up balance once every grant is used up', () => {
    expect(planConsumption(grants, 47n)).toMatchObject({ promotionalMicros: 40n, topUpMicros: 7n });
    expect(planConsumption([], 5n)).toEqual({ draws: [], promotionalMicros: 0n, topUpMicros: 5n });
  });

  it('splits a grant when the usage is smaller than it', () => {
    expect(planConsumption(grants, 4n).draws).toEqual([{ grantId: 3, amountMicros: 4n }]);
  });
});

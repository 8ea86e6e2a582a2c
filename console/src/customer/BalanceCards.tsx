import { useLanguage, useMessages } from '../shared/i18n';
import { formatCredits } from '../shared/money';
import { customerMessages } from './messages';

/** Total and top-up balances (and the promotional one when given), as the balances screen and the success pop-up show them. */
export function BalanceCards(props: { totalBalance: string; topUpBalance: string; promotionalBalance?: string; testIdPrefix?: string }) {
  const text = useMessages(customerMessages);
  const { language } = useLanguage();
  const prefix = props.testIdPrefix ?? '';
  const cards: [label: string, value: string | undefined, testId: string][] = [
    [text.totalBalance, props.totalBalance, 'total-balance'],
    [text.topUpBalance, props.topUpBalance, 'top-up-balance'],
    [text.promotionalBalance, props.promotionalBalance, 'promotional-balance'],
  ];
  return (
    <dl className="balances">
      {cards
        .filter(([, value]) => value !== undefined)
        .map(([label, value, testId]) => (
          <div key={testId}>
            <dt>{label}</dt>
            <dd data-testid={`${prefix}${testId}`}>{formatCredits(value!, language)}</dd>
          </div>
        ))}
    </dl>
  );
}

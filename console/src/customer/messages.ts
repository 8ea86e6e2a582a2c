import { defineMessages } from '../shared/i18n';

/** Texts of the direct customer's screens (the FPT "Top-up credits" help page). */
export const customerMessages = defineMessages({
  en: {
    balancesTitle: 'Balances',
    totalBalance: 'Total Balance',
    topUpBalance: 'Top-up Balance',
    promotionalBalance: 'Promotional Balance',
    nextExpiry: '{amount} credits expire on {date}',
    noExpiry: 'No promotional credits expire.',
    addCredit: 'Add credit',
  },
  vi: {
    balancesTitle: 'Số dư',
    totalBalance: 'Tổng số dư',
    topUpBalance: 'Số dư nạp',
    promotionalBalance: 'Số dư khuyến mãi',
    nextExpiry: '{amount} tín dụng hết hạn vào {date}',
    noExpiry: 'Không có tín dụng khuyến mãi nào sắp hết hạn.',
    addCredit: 'Nạp tín dụng',
  },
});

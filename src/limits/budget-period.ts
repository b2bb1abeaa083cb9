/** Budgets are monthly: calendar months in UTC, the same for every replica whatever its time zone. */
export interface BudgetPeriod {
  /** `YYYY-MM`, part of the spend counter's name. */
  id: string;
  startsAt: number;
  /** When the budget resets: the first instant of the next month (epoch ms). */
  endsAt: number;
}

export function budgetPeriod(now: number): BudgetPeriod {
  const date = new Date(now);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  return {
    id: `${year}-${String(month + 1).padStart(2, '0')}`,
    startsAt: Date.UTC(year, month, 1),
    endsAt: Date.UTC(year, month + 1, 1),
  };
}

/** Spend counters outlive their month by a day, so a replica with a slightly slow clock still finds them. */
export function spendExpiresAt(period: BudgetPeriod): number {
  return period.endsAt + 86_400_000;
}

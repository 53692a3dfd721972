import DebtModel

/// Short financial-education tips, one a day (docs/advice.md).
public enum AdviceTips {
    /// (title, text, action). Titles are generic; texts quote no user figures.
    public static let all: [(title: String, text: String, action: String)] = [
        ("Tip: how grace periods work",
         "Most banks treat a payment within 3 days after the due date (容时) as on time, but it is a courtesy, not a right: some lenders (Jiebei-style lines) may report after a single day. Aim for the due date, and use grace only for accidents.",
         "vault show ID lists each debt's grace days"),
        ("Tip: why minimum payments are expensive",
         "Paying less than the full card statement loses the interest-free period: interest runs at the daily rate (commonly 0.05%/day, 18.25% a year) on the whole bill from each posting date until it is repaid.",
         "vault plan --strategy minimum shows what minimums alone cost"),
        ("Tip: how to read an installment APR",
         "A fee per month on the original principal (0.6%/month) looks like 7.2% a year, but you repay principal every month while the fee stays the same, so the real APR is about 1.8 times that: 13.03% for 12 months at 0.6%.",
         "vault apr --amount 10000 --months 12 --monthly-fee 0.6%"),
        ("Tip: credit-report basics",
         "A payment after the grace period is overdue and may be reported to the credit bureau (征信). Negative records stay for 5 years after the debt is settled, and lenders check them before every loan and card.",
         "vault remind shows what is overdue or about to be"),
        ("Tip: build an emergency fund",
         "A small cash buffer, even one month of minimum payments, is what stops a surprise expense from becoming a missed payment. Build it alongside repayment, not after.",
         "vault budget shows what is left each month after expenses"),
        ("Tip: avalanche versus snowball",
         "Avalanche pays the highest rate first and costs the least interest; snowball pays the smallest balance first and gives early wins. The best plan is the one you keep following.",
         "vault plan --compare"),
        ("Tip: the tolerance rule",
         "Under the tolerance rule (容差), an unpaid remainder of 10 CNY or less at most banks counts as paid, so a small rounding gap does not make a bill overdue. It is not a reason to pay short on purpose.",
         "vault show ID lists each debt's tolerance"),
        ("Tip: late penalty versus penalty interest",
         "A card's late penalty (违约金) is typically 5% of the unpaid part of the minimum, charged once; a loan's penalty interest (罚息) runs every day at 1.3 to 1.5 times the contract rate. Both stop only when you pay.",
         "vault list shows penalties accrued so far"),
        ("Tip: negotiated repayment is free",
         "If you cannot pay, ask the lender itself for negotiated repayment (协商还款 / 个性化分期, up to 5 years). Its own app and hotline are free; agents who charge to \"erase penalties\" are a known scam.",
         "write down the lender's official hotline before you need it"),
        ("Tip: regulatory rate lines",
         "Lenders must show an annual rate including all fees. 24% is the consumer-finance line (over 24% to be prohibited from 2026) and 36% the 2017 cash-loan line: anything above either deserves a second look.",
         "vault apr checks an offer's real annual rate"),
        ("Tip: statement day and due day",
         "Purchases after the statement day (账单日) fall into the next bill, so buying just after it gives the longest interest-free period, up to about 50 days before the due day (还款日).",
         "vault show ID shows a card's statement and due days"),
        ("Tip: pay on payday",
         "Paying bills the day your income arrives, rather than on the due date, means the money is never spent first and a bank delay never makes you late.",
         "vault budget --payday N stores your payday"),
        ("Tip: several reminders beat one",
         "One reminder is easy to miss. Reminders 3 days, 1 day and on the day before the due date catch a busy week; a 7-day one leaves time to move money.",
         "vault edit ID --lead-days 7,3,1,0"),
        ("Tip: cash advances cost most",
         "Cash withdrawn on a credit card usually has no interest-free period and carries a fee on top of the daily interest. It is one of the most expensive ways to borrow.",
         "vault apr --compare-revolving 0.05%/day shows what daily interest adds up to"),
        ("Tip: do not borrow to repay",
         "Using one card or loan to pay another moves the debt without shrinking it and usually adds fees. It only helps when the new rate is clearly lower and you stop using the old line.",
         "vault plan --compare shows the cost of your current debts"),
        ("Tip: read the total cost, not the monthly payment",
         "A low monthly payment over more months often costs more in total. Compare offers by the total repaid and the annual rate, never by the monthly amount alone.",
         "vault apr --amount P --months N --total-fee F%"),
        ("Tip: a promo period has an end date",
         "A 0% promotional period is cheap only if the balance is gone when it ends; after that the normal rate applies to what is left. Divide the balance by the months left and pay that.",
         "vault edit ID --promo-until YYYY-MM-DD records the end date"),
        ("Tip: prepaying an installment plan",
         "Installment fees (分期手续费) are often charged on the original principal for the whole term, even if you repay early. Ask the lender what early settlement costs before prepaying.",
         "vault plan --lump-sum-vs-installments ID"),
        ("Tip: debt-to-income",
         "Lenders look at how much of your monthly income goes to debt payments. Above 36% is stretched, above 50% is overextended: one surprise and a payment is missed.",
         "vault budget --income A --expenses B"),
        ("Tip: informal debts matter too",
         "Money owed to family or friends has no credit report, but agreeing a date and keeping to it protects the relationship. Write the agreement down and record each repayment.",
         "vault add --kind informal"),
        ("Tip: check every statement",
         "Compare each statement with your own records: unknown charges, fees and interest you did not expect are easier to dispute within the first weeks.",
         "vault pay records each repayment as you make it"),
        ("Tip: keep your data private",
         "Debt details are exactly what fraudsters use: calls that quote your lender and balance and ask for a transfer are a common scam. Your lender never asks you to move money to a \"safe account\".",
         "share only a redacted summary when you need help"),
        ("Tip: small wins count",
         "Clearing one small balance completely removes a due date, a minimum and a chance to be late. When the cost difference is small, an early win is worth it.",
         "vault list --all shows what you have already paid off"),
        ("Tip: automate what you can",
         "Autopay from your salary account for at least the minimum makes a forgotten payment impossible; you can still pay more by hand.",
         "ask each lender to set up autopay from your salary account"),
        ("Tip: plan for irregular income",
         "If your income varies, plan with the lowest month, not the average, and put the extra of good months on the highest-rate debt.",
         "vault plan --budget AMOUNT with your lowest monthly income"),
        ("Tip: closing a paid-off card",
         "A paid-off card you no longer use still has an annual fee risk and is one more thing to watch. Pay it to zero, then decide whether to keep or close it.",
         "vault close ID once it is paid off"),
    ]

    /// The tip index for a date: deterministic, a different tip from the day before and after (the step
    /// is coprime with the number of tips, so it also cycles through all of them).
    public static func index(for date: CivilDate) -> Int {
        let n = all.count
        let k = ((date.dayNumber % n) + n) % n
        return (k * 7 + 3) % n
    }

    /// The tip of the day as an advice item.
    public static func tipOfTheDay(_ date: CivilDate) -> AdviceItem {
        let t = all[index(for: date)]
        return AdviceItem(code: "tip-of-the-day", severity: .tip, title: t.title, explanation: t.text, action: t.action, debtIDs: [])
    }
}

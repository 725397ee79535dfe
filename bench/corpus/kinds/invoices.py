"""Invoices, receipts and payment reminders, with bank details and billing contacts."""

KIND = "invoice"

TEMPLATES = (
    "INVOICE <<invoice_no>>\nDate: <<date>>    Due: <<date2>>\n\nBill to:\n<<name>>\n<<address>>"
    "\n<<email>>\n\nConsulting services (40 h)    <<amount>>\nVAT 19 %    <<amount2>>\n\n"
    "Please transfer to IBAN <<iban>>, BIC <<bic>>, quoting <<invoice_no>>.\n",
    "<<company>>\nInvoice no. <<invoice_no>> | Order <<order_no>> | Customer <<customer_id>>\n"
    "Total due: <<amount>>\nPaid by card <<masked_card>> on <<date>>. Thank you!\n",
    "RECEIPT\nMerchant: Corner Cafe\n<<ts>>\n2x Cappuccino  9.00\n1x Bagel  3.50\nVISA "
    "<<masked_card>>\nAUTH CODE 0<<last4>>\nTOTAL 12.50\n",
    "Payment reminder\n\nDear <<name>>,\nour invoice <<invoice_no>> of <<date>> over <<amount>> "
    "is still open. Please pay to:\nAccount holder: <<company>>\nIBAN: <<iban>>\nBIC: <<bic>>\n"
    "Questions: <<support_email>> or <<phone>>\n",
    "Invoice <<invoice_no>>\nShip to: <<address>>\nTracking: <<tracking_no>>\nItems:\n"
    "  SKU-<<pid>>  x2  <<amount>>\nSubtotal <<amount2>>\n",
    "Pro forma invoice <<invoice_no>>\nSupplier: <<company>>, VAT ID DE<<pid>>\nBank: IBAN "
    "<<iban>>\nContact: <<work_email>>, tel. <<phone>>\nPayment terms: 30 days net.\n",
    "Credit note <<invoice_no>> referencing invoice <<invoice_no>> / order <<order_no>>.\n"
    "Refund <<amount>> to the original card (<<masked_card>>). Expected within 5-10 business "
    "days.\n",
    "Billing statement <<date>>\nAccount: <<customer_id>>\nPrevious balance <<amount>>\n"
    "Payments -<<amount>>\nNew charges <<amount2>>\nAutopay card on file: <<card>> (please update,"
    " expires 11/25)\n",
    "Statement of account for <<company>>\nOpen items: <<invoice_no>> (<<amount>>), due "
    "<<date>>\nRemit to: <<iban>>\nRemittance advice to <<support_email>>\n",
    "INVOICE\nFrom: <<name>>, freelance designer, <<email>>, <<phone>>\nTo: <<company>>\n"
    "Logo design ........ <<amount>>\nPayment by bank transfer: <<iban>> (<<name>>)\n"
    "Tax ID for 1099: <<ssn>>\n",
    "Quote Q-<<pid>> valid until <<date>>\n3 x laptop, 16 GB, <<amount>> each\nDelivery "
    "<<date2>>\nPrices exclude VAT.\n",
    "Order confirmation <<order_no>>\nPlaced <<ts>> from IP <<ip_public>>\nCard: <<card_brand>> "
    "<<card>>\nShipping to <<address>>\n",
    "Customs invoice\nShipper: <<company>>, <<address>>, phone <<phone>>\nAWB <<tracking_no>>\n"
    "HS code 8471.30.01, value <<amount>>, weight 2.4 kg\n",
    "Utility bill\nAccount <<customer_id>>, meter 4471-<<pid>>\nPeriod <<date>> - <<date2>>\n"
    "Usage 1234 kWh\nDirect debit from <<bad_iban>> failed: invalid IBAN. Please update.\n",
    "Invoice <<invoice_no>> - SEPA direct debit mandate <<uuid>>\nDebtor: <<name>>, IBAN "
    "<<iban>>\nCreditor ID DE98ZZZ09999999999\nAmount <<amount>> collected on <<date>>\n",
)

"""Support tickets and customer emails, with headers, quoted replies and signatures."""

KIND = "support"

TEMPLATES = (
    "Subject: Charged twice for order <<order_no>>\nFrom: <<name>> <<<email>>>\nDate: <<ts>>\n\n"
    "Hi team,\n\nI was charged <<amount>> twice on <<date>> for the same order. The card ends in "
    "<<last4>>. Please refund one of them or call me at <<phone>>.\n\nThanks,\n<<first>>",
    "Ticket #<<pid>> | Priority: High | Requester: <<email>>\n\nCustomer reports the tracking "
    "number <<tracking_no>> has not moved since <<date>>. Carrier says the label was never "
    "scanned. Customer callback: <<phone>>.",
    "Hello,\n\nplease update my payment details. New card: <<card>> exp 09/28, the old one "
    "(<<masked_card>>) was stolen.\n\nRegards,\n<<name>>\nCustomer ID <<customer_id>>",
    "Hi <<agent>>,\n\nthe refund of <<amount>> for invoice <<invoice_no>> should go to our new "
    "account:\nIBAN: <<iban>>\nBIC: <<bic>>\nAccount holder: <<company>>\n\nBest,\n<<name>>",
    "Subject: Re: Account verification\n\n> Please confirm your identity.\n\nSure. Name: <<name>>, "
    "date of birth <<dob>>, SSN <<ssn>>. You can also reach me at <<email>>.",
    "IT helpdesk ticket INC<<pid>>\nUser: <<username>> (<<work_email>>)\nIssue: VPN login fails "
    "from home. Public IP <<ip_public>>, laptop MAC <<mac>>, client version <<version_quad>>.\n"
    "Agent note: reset MFA, temporary password: <<password>>",
    "Hello support,\n\nyour app crashes on startup since version <<version>> (build "
    "<<version_quad>>). Crash id <<uuid>>. I'm on iOS 17.5.1.\n\n<<name>>",
    "From: <<email>>\nTo: <<support_email>>\nSubject: Wrong delivery\n\nOrder <<order_no>> "
    "arrived with the wrong size. Return label tracking <<tracking_no>>. Phone <<phone>>.",
    "Chat transcript <<date>>\n[<<ts>>] Customer: hi my card keeps getting declined\n[<<ts2>>] "
    "Agent <<agent>>: Can you give me the last 4 digits?\n[<<ts2>>] Customer: <<last4>>\n"
    "[<<ts2>>] Agent <<agent>>: Thanks, I see a fraud hold. I'll lift it now.",
    "Hi, I'm locked out. My username is <<username>> and my recovery email is <<email>>. I can "
    "receive a code at <<phone>>.",
    "Please charge the remaining balance of <<amount>> to my <<card_brand>> <<card>>, expiry "
    "04/27. Order <<order_no>>.",
    "Ticket <<request_id>>\nThe customer pasted their API key in the chat: <<vendor_token>> - "
    "please revoke it and tell them to generate a new one.",
    "Hello,\nI need a copy of my W-2. My SSN is <<ssn>> and I worked at the <<city>> store until "
    "<<date>>. Mail it to <<address>>.\nThank you, <<name>>",
    "Subject: Invoice <<invoice_no>> question\n\nHi,\nthe invoice shows <<amount>> but the quote "
    "(PO <<order_no>>) said <<amount2>>. Can you check?\n\n<<name>> | <<company>>",
    "Customer <<name>> says our IVR reads back a wrong number. We have <<phone>> on file, the "
    "customer says it should be <<phone2>>.",
    "Hey, our integration started failing with 403 from <<ip_public>>. Request id <<request_id>>,"
    " trace <<trace_id>>. Nothing changed on our side since <<date>>.",
    "Dear support,\n\nI tried to pay with card number <<bad_card>> but your form says it's "
    "invalid. "
    "I double-checked the digits. Order <<order_no>>.\n\n<<name>>",
    "Escalation: account takeover suspected for <<email>>. Logins from <<ip>> and <<ip2>> within "
    "2 minutes on <<date>>. Customer DOB on file: <<dob>>. Please verify before unlocking.",
    "Please cancel my subscription. Account <<customer_id>>, email <<email>>. The IMEI of the "
    "device you sent is <<imei>>, I'll return it.",
    "Re: Tax form\n\nThe number you have (<<invalid_ssn>>) is wrong, that was a typo on my side. "
    "The correct SSN is <<ssn>>.",
    "Hello, this is <<name>> from <<company>>. Our webhook keeps failing, signing secret is "
    "whsec_... (I won't paste it). Endpoint <<ip_public>>:<<port>>, last attempt <<ts>>.",
    "Support note: customer called from <<phone>> about order <<order_no>>; promised a callback "
    "on <<date>> between 2 and 4 pm.",
    "Hi there,\n\nour accountant needs the transfer details again. Please pay to <<iban>> "
    "(<<company>>), reference <<invoice_no>>.\n\nKind regards",
    "Subject: Password reset not arriving\n\nI requested a reset for <<email>> three times "
    "today (<<ts>>). Nothing in spam. My colleague <<email2>> got hers instantly.",
    "Hi - shipment <<tracking_no>> was delivered to the wrong address. I'm at <<address>>, "
    "phone <<phone>>.",
    "Refund request\nOrder: <<order_no>>\nAmount: <<amount>>\nReason: damaged\nCustomer since: "
    "<<date>>\nAge verification: customer is <<age>>",
)

"""Chat prompts: what people type to an assistant, values and look-alikes in passing."""

KIND = "chat"

TEMPLATES = (
    "Can you write a short email to my landlord? My name is <<name>>, reply to <<email>> or call "
    "<<phone>>. The rent for last month was paid on <<date>>.",
    "I keep getting ConnectionRefusedError when connecting to <<ip_private>>:<<port>>. It works "
    "fine on 127.0.0.1. What am I missing?",
    "Summarize this call note: customer <<name>> (DOB <<dob>>) called about order <<order_no>>, "
    "wants a refund of <<amount>> to the card on file.",
    "here's my .env, why does the app not pick up the key?\n\nOPENAI_API_KEY=<<openai_key>>\n"
    "DEBUG=true\nPORT=<<port>>",
    "My build broke after upgrading to <<pin>>. The log says the driver is version "
    "<<version_quad>>. Any idea what changed?",
    "convert <<ts>> to Europe/Berlin time pls",
    "Fill out this form for me in JSON:\nFull name: <<name>>\nSSN: <<ssn>>\n"
    "Date of birth: <<dob>>\n"
    "Phone: <<phone>>\nEmail: <<email>>",
    "Translate to Spanish: \"Please call me back at <<phone>> before <<date>>, thanks!\"",
    "My wife's card <<card>> got declined at checkout (order <<order_no>>). Is it the bank or "
    "your site?",
    "Why does `git clone <<git_remote>>` ask me for a password when I already added my SSH key?",
    "Is <<bad_card>> a valid card number? The checkout form keeps rejecting it.",
    "Which bank issued the card <<card>>? I found it in my late father's wallet.",
    "Write SQL to insert a test payment with card <<card>>, amount <<amount>> and order "
    "<<order_no>>.",
    "I was born on <<dob>>. How many days old am I today?",
    "Compute <<arith>> and show the steps, my kid says I'm wrong.",
    "Draft a payment confirmation for our supplier <<company>>: we sent <<amount>> to IBAN "
    "<<iban>> "
    "(BIC <<bic>>) on <<date>>.",
    "Decode this JWT and tell me when it expires:\n<<jwt>>",
    "why does this fail with 401?\n\ncurl -u <<username>>:<<password>> https://api.<<domain>>/v2/export",
    "The server at <<ip_public>> keeps timing out but <<hostname_ip>> answers. DNS issue?",
    "My grandmother was born <<dob>> in <<city>>. Help me write a card for her birthday party.",
    "tell <<handle>> the deploy is done and ping <<handle>> in #ops if it fails",
    "What does the OID <<oid>> mean in an X.509 certificate?",
    "The payroll form says <<invalid_ssn>> is an invalid SSN. It was copied from an old letter, "
    "what makes it invalid?",
    "Our VPN hands out addresses like <<ip6>>. How do I allow them in ufw?",
    "Help me polish my cover letter header:\n<<name>>\n<<address>>\n<<email>> | <<phone>>",
    "I'm <<age>> and my last reading was <<measure>>. Is that high for my age?",
    "Is it a problem that I pasted my AWS access key <<aws_key>> in a public Slack channel for "
    "a minute? I deleted it.",
    "The audit log shows <<email>> logged in from <<ip>> at <<ts>> and again from <<ip2>> five "
    "minutes later. Suspicious?",
    "Rewrite this politely: 'stop calling <<phone>>, my account was closed on <<date>>'",
    "What's the difference between npm install <<npm_spec>> and pinning the exact version?",
    "Patient with MRN <<mrn>> missed her follow-up on <<visit_date>>. Draft a friendly reminder "
    "text for our front desk.",
    "The id <<uuid>> shows up twice in the users table. How do I find duplicates in Postgres?",
    "my ssn is <<ssn_bare>> and the state site says it doesn't match my name, what should I do",
    "I only have the last 4 of my SSN (<<last4>>) on this card. Can I still open the account?",
    "Remember for later: my date of birth is <<dob>> and my MRN at St. Mary's is <<mrn>>.",
    "Give me a regex that matches order numbers like <<order_no>> but not tracking numbers like "
    "<<tracking_no>>.",
    "What's the checksum algorithm behind IBANs? Mine is <<iban>> and I want to validate it in "
    "Excel.",
    "Explain this stack trace line: at com.acme.billing.Invoice.total(Invoice.java:<<age>>)",
    "My phone number changed to <<phone>>, update the signature below:\n--\n<<name>>\n"
    "<<company>>\n<<work_email>>",
    "I think my Stripe key leaked, it was <<stripe_key>>. What do I rotate first?",
    "How do I mount an NFS share from <<ip_private>> on boot? The subnet mask is <<netmask>>.",
    "Why does Python say {'a': 1} | {'b': 2} is invalid in 3.8? I'm on <<version>>.",
    "My Wi-Fi adapter's MAC is <<mac>>, how do I spoof it on Ubuntu <<version>>?",
    "What's the sha256 <<sha256>> of? I found it in our release notes for <<version>>.",
    "The Python script prints <<card_in_token>> as the transaction reference, how do I split "
    "the prefix off?",
    "Write a haiku about the number <<arith>>.",
    "Help me reply to this: \"Hi, I'm <<other_name>> from <<company>>, you can reach me at "
    "<<email2>>. Let's meet on <<date>>.\"",
    "My IMEI is <<imei>> and the carrier says the phone is blacklisted. How do I check?",
    "The DMV letter lists my SSN as <<masked_ssn>> and my birthday as <<dob>>. Is this letter "
    "legit?",
    "Can you check this config? token_expiry_seconds: 3600, max_tokens: <<port>>, "
    "password_min_length: 12",
)

"""Prose kinds: chat, support tickets, clinical notes, invoices, HR letters, e-mails, other languages."""

from __future__ import annotations

import random

from . import values as v
from .doc import Ctx, Doc, render

CHAT = [
    "hey, can you ping [[FIRST2]] at [[EMAIL]]? she has the numbers for Q3",
    "my cell is [[PHONE]] if the call drops again",
    "lol it's [[ARITH]], not what the dashboard says",
    "deploying [[VER]] now, build [[SHA]] looks green",
    "ok so the server at [[IP4]] keeps refusing ssh, can someone check?",
    "Here's the card for the team lunch: [[CARD]] exp 11/29, don't share it around",
    "just paste your key here and I'll test: [[APIKEY]]",
    "wait don't paste keys in chat. use <your-api-key> in the snippet instead",
    "for the wire: IBAN [[IBAN]], reference [[INVNO]]",
    "can't login, my password is [[PASSWORD]] and it says invalid??",
    "The meeting moved to [[DATEEN]] at 3pm, room [[ROOM]]",
    "ordered the monitor, order [[ORDER]], tracking [[TRACK]]",
    "my SSN is [[SSN]] for the benefits form, is that safe to send here?",
    "text me: [[PHONE_US]] (work) or [[PHONE_UK]] when I'm in London",
    "happy birthday!! 🎂 the cake is in the kitchen, party at [[DATEEN]] 4pm",
    "fyi my date of birth is [[DOBEN]] in case HR asks again",
    "the flaky test id is [[UUID]], reran it [[N2]] times",
    "prod db is at [[IP6]] since the migration, v4 is gone",
    "new token for the bot: [[GHTOKEN]] (expires in 30 days)",
    "we did [[N5]] requests yesterday, p99 was [[MS]] ms",
    "pls call the front desk at [[PHONE]] ext [[N3]] not my mobile",
    "bank says my account [[IBAN]] was flagged, any idea why",
    "the invoice total was [[AMOUNT]] for [[N3]] seats",
    "I tried 4111 but it only accepts the full number: [[CARD]]",
    "grafana shows [[PCT]] errors from [[IP4]] since [[TS]]",
    "send the contract to [[MYEMAIL]] and cc [[EMAIL]]",
    "my old number [[PHONE]] is dead, use this one: [[PHONE]]",
    "use the staging key from the vault, not the placeholder [[PLACEHOLDER]]",
    "ISBN for the book club pick is [[ISBN]]",
    "That customer's zip is [[ZIP4]], apartment [[N3]]",
    "quick q: is [[BADCARD]] a valid order number format? support keeps asking",
    "jwt from the login response: [[JWT]]",
    "restarted pid [[PID]] on port [[PORT]], looks fine now",
    "stripe key for the demo shop (test mode off!!): [[STRIPE]]",
    "slack bot token [[SLACK]] — revoke after the hackathon",
    "cURL works with -H 'Authorization: Basic [[BASIC]]' but not from the app",
    "she's at [[PHONE_DE]] until Friday, after that [[PHONE_FR]]",
    "Serial no. [[N10]] on the router label, firmware [[VER]]",
    "we hit [[N7]] signups, that's [[PCT]] up on last week",
]

CHAT_PREFIX = ["", "[[TS]] [[FIRST]]: ", "[[FIRST]]: ", "<[[FIRST]]> ", "[[FIRST]] [[HM]] — ", "[[[HM]]] [[FIRST]]: "]

SUPPORT = [
    "Ticket #[[N6]] — Customer [[NAME]] ([[MYEMAIL]]) reports being charged twice for order [[ORDER]]. Card on file ends in [[N4]]. Callback number: [[PHONE]].",
    "Subject: Refund request\nPriority: P[[N2]]\nHi team, please refund [[AMOUNT]] to IBAN [[IBAN]] (account holder [[NAME]]). Original invoice [[INVNO]] dated [[DATEEN]].",
    "Caller verified identity with SSN [[SSN]] and date of birth [[DOBEN]]. Updated mailing address, no other changes.",
    "Agent note: customer read out the full card number [[CARD]] over chat, advised them never to do that. Masked copy: [[MASKCARD]].",
    "Customer cannot reach the portal from [[IP4]]; traceroute attached. Device id [[UUID]], app version [[VER]].",
    "Escalation: API key [[APIKEY]] was posted in a public forum thread by the customer. Rotate and notify [[MYEMAIL]].",
    "Please update the phone on account [[N8]] from [[PHONE]] to [[PHONE]]. Requested by [[NAME]] on [[DATEEN]].",
    "Case [[N7]]: shipment [[TRACK]] stuck at depot since [[DATEEN]]. Customer phone [[PHONE]], email [[EMAIL]].",
    "The user says their password [[PASSWORD]] stopped working after the reset on [[TS]]. Sent a new reset link.",
    "KB-[[N4]]: To configure the SDK, set API_KEY=[[PLACEHOLDER]] in your environment. Never commit the real value.",
    "Customer [[NAME]], born [[DOBEN]], asks to close the account and delete data under GDPR. Reference [[UUID]].",
    "Chargeback on transaction [[N10]] for [[AMOUNT]]. Cardholder card number [[CARD]], dispute opened [[DATEEN]].",
    "Login anomalies: failed attempts from [[IP]] and [[IP]] between [[TS]] and [[TS]]. Account locked.",
    "Hi, I'm [[NAME]]. My new direct debit account is [[IBAN]] — please use it from next month. Thanks!",
    "Follow-up: customer dialed [[PHONE]] instead of the support line and reached a fax.",
    "Internal: order [[ORDER]] refunded in [[N2]] parts, [[ARITH]] cents total rounding diff.",
    "Customer pasted their .env into the ticket: DATABASE_URL contained password [[PASSWORD]]. Advised rotation.",
    "Webhook signing secret shared by mistake: [[TOKEN]]. Already rolled by the customer.",
    "Please verify: tax ID on file is [[BADSSN]]? That doesn't look like a real SSN, asked for a corrected W-9.",
    "Agent [[FIRST2]] called [[PHONE]] at [[TS]], no answer, left voicemail.",
    "Identity check passed: last name [[LAST]], SSN [[SSNPLAIN]] (no dashes as typed by the customer), [[DOBCUE]] [[DOBEN]].",
    "Customer's OpenAI key [[OPENAI]] was in the screenshot they attached. Asked them to revoke it.",
    "The IBAN the customer typed, [[BADIBAN]], fails the checksum (typo); asked them to send it again.",
    "Case number [[N8]] merged into [[N8]]. Customer reachable at [[PHONE_UK]] (UK) weekday mornings.",
    "Partner portal login for [[MYEMAIL]]: temporary password [[PASSWORD]] — expires in 24h.",
]

CLINICAL = [
    "Patient: [[NAME]]\nDOB: [[DOBEN]]\nMRN: [[MRN]]\nVisit date: [[DATEEN]]\nChief complaint: follow-up for [[DX]] ([[ICD]]).",
    "[[AGE]] y/o presenting with [[DX]]. Medical Record Number: [[MRN]]. Started [[DRUG]] daily. Return visit on [[DATEEN]].",
    "Discharge summary for [[NAME]] (date of birth [[DOBEN]], MRN [[MRN]]). Admitted [[DATEEN]], discharged [[DATEEN]]. Dx: [[ICD]].",
    "Lab accession [[N8]] — HbA1c 7.[[N2]]%. Ordering provider NPI [[NPI]]. Patient ID [[N6]] (internal key, not the chart number).",
    "Referral: please see [[NAME]], born [[DOBEN]], chart # [[MRN]], for evaluation of [[DX]]. Contact patient at [[PHONE]].",
    "Encounter [[N7]], room [[ROOM]], bed 2. BP 1[[N2]]/[[N2]], HR [[N2]]. Next dose at 14:00.",
    "Pt called from [[PHONE]] re: refill of [[DRUG]]. Verified by DOB [[DOBEN]] and MRN [[MRN]].",
    "Insurance: member id [[N10]], group [[N5]]. Claim [[N8]] denied on [[DATEEN]]. Guarantor SSN [[SSN]].",
    "Med Rec # [[MRN]] | Allergies: penicillin | Problem list: [[DX]] ([[ICD]]), [[DX]].",
    "Telehealth note — patient joined from [[IP4]], identity confirmed (DOB [[DOBEN]]). Plan: continue [[DRUG]].",
    "Dr. [[LAST]] paged at [[TS]]; callback ext [[N4]]. Pager group [[N2]].",
    "Newborn: [[NAME]], date of birth [[DOBEN]], weight 3.[[N2]] kg, hospital MRN [[MRN]].",
    "Radiology order [[ORDER]] for chart number [[MRN]]; study UID 1.2.840.[[N5]].[[N4]].[[N6]].",
    "Patient portal message from [[MYEMAIL]]: \"my birthday is [[DOBEN]], why does the portal show another date?\"",
    "Follow-up in [[N2]] weeks. Last A1c [[DATEEN]]. BMI 2[[N2]].[[N2]]. Weight change [[ARITH]] g since intake.",
    "[[MRNCUE]] [[MRN]] — [[NAME]], [[DOBCUE]] [[DOBEN]]. Seen by Dr. [[LAST]] on [[DATEEN]] for [[DX]].",
    "Triage [[TS]]: [[AGE]]F, [[DX]]. [[MRNCUE]] [[MRN]]. Phone on file [[PHONE]]. Encounter [[N7]].",
    "Lab report — accession [[N8]], collected [[DATEEN]], [[MRNCUE]] [[MRN]], [[DOBCUE]] [[DOBEN]]. Glucose [[N3]] mg/dL.",
    "Vaccination record: [[NAME]] (born [[DOBEN]]) received dose 2 on [[DATEEN]], lot [[HEX8]].",
]

INVOICE_HEAD = [
    "INVOICE [[INVNO]]\nDate: [[DATEEN]]\nDue: [[DATEEN]]\nBill to: [[NAME]], [[COMPANY]]\nEmail: [[EMAIL]]\nPhone: [[PHONE]]\n",
    "[[COMPANY]] — Tax invoice\nInvoice no. [[INVNO]] | Order [[ORDER]] | Issued [[DATEEN]]\nCustomer: [[NAME]] <[[MYEMAIL]]>\n",
    "Rechnung / Invoice [[INVNO]]\nCustomer no. [[N6]]\nPO number: [[ORDER]]\nContact: [[PHONE]]\n",
]
INVOICE_FOOT = [
    "\nPlease pay by bank transfer to IBAN [[IBAN]] (BIC DEUTDEFF[[N3]]) quoting [[INVNO]].",
    "\nPayment received by card [[MASKCARD]] on [[DATEEN]]. Thank you!",
    "\nCharged to card [[CARD]] on [[DATEEN]]. Auth code [[N6]].",
    "\nRemit to: [[IBAN]]\nQuestions: [[EMAIL]] or [[PHONE]]",
    "\nTerms: net 30. Late fee [[PCT]] per month. VAT reg GB[[N3]] [[N4]] [[N2]].",
    "\nTracking: [[TRACK]] — shipped [[DATEEN]].",
]

HR = [
    "Dear [[NAME]],\n\nWe are pleased to offer you the position of Data Analyst starting [[DATEEN]] with an annual salary of [[AMOUNT]]. Please return the signed letter to [[EMAIL]].\n\nPayroll will need your SSN ([[SSN]]) and bank account (IBAN [[IBAN]]).",
    "Employee record\nName: [[NAME]]\nEmployee ID: E[[N6]]\nDate of birth: [[DOBEN]]\nHire date: [[DATEEN]]\nSocial Security No.: [[SSN]]\nMobile: [[PHONE]]",
    "To whom it may concern,\n\nThis confirms that [[NAME]] (born [[DOBEN]]) has been employed by [[COMPANY]] since [[DATEEN]]. For verification call [[PHONE]].",
    "Benefits enrollment: [[NAME]], DOB [[DOBEN]], dependents: 2. Plan year [[YEAR]]. Employee number [[N7]].",
    "Termination notice for [[NAME]], effective [[DATEEN]]. Final paycheck to account [[IBAN]]. Return laptop asset tag [[N6]].",
    "Reference letter: [[NAME]] worked with us from [[DATEEN]] to [[DATEEN]]. Reach me at [[MYEMAIL]] or [[PHONE]].",
    "Onboarding checklist for [[FIRST]]: badge [[N5]], VPN from [[IP4]] whitelisted, temporary password [[PASSWORD]] (change at first login).",
    "Payroll change: [[NAME]], SSN [[SSNANY]], new direct deposit IBAN [[IBAN]], effective pay period [[N2]]/[[YEAR]].",
    "Performance review [[YEAR]]: rating 4/5. Salary band [[N3]]. Next review [[DATEEN]].",
    "Emergency contact for [[NAME]]: [[NAME2]], phone [[PHONE]], email [[EMAIL]].",
    "New hire form — [[DOBCUE]] [[DOBEN]]; SSN: [[SSNANY]]; personal email [[MYEMAIL]]; start date [[DATEEN]].",
    "I-9 verification: [[NAME]], date of birth [[DOBEN]], SSN [[SSN]]. Documents reviewed on [[DATEEN]].",
]

EMAIL_HEAD = [
    "From: [[NAME]] <[[MYEMAIL]]>\nTo: [[EMAIL]]\nDate: Tue, [[N2]] Mar [[YEAR]] 09:[[N2]]:11 +0100\nSubject: ",
    "Return-Path: <[[EMAIL]]>\nReceived: from mail.brightlane.io ([[IP4]]) by mx.kestrel-logistics.com; [[TS]]\nX-Request-ID: [[UUID]]\nFrom: [[MYEMAIL]]\nTo: [[EMAIL]]\nCc: [[EMAIL]]\nSubject: ",
    "From: \"[[NAME]]\" <[[MYEMAIL]]>\nReply-To: [[EMAIL]]\nX-Originating-IP: [[[IP]]]\nDate: [[TS]]\nSubject: ",
]
EMAIL_SUBJ = ["Re: contract", "Fwd: invoice [[INVNO]]", "access request", "your order [[ORDER]]",
              "Payroll details", "Urgent: credentials", "Lab results", "Meeting [[DATEEN]]"]
EMAIL_BODY = SUPPORT[:9] + HR[:6] + [
    "Hi [[FIRST]],\n\nhere are the staging credentials you asked for:\nuser: deploy\npassword: [[PASSWORD]]\nPlease don't forward.\n\nBest,\n[[FIRST2]]",
    "Hello,\n\nPlease find attached the report for build [[VER]] (commit [[SHA]]). No action needed.\n\n-- \n[[NAME]] | [[COMPANY]] | [[PHONE]]",
    "Hi,\n\nthe AWS access key id is [[AWSID]] and the secret access key is [[AWSSECRET]]. Rotate after the demo.\n",
    "Thanks for your payment of [[AMOUNT]] on [[DATEEN]]. Your card [[MASKCARD]] was charged.",
]

I18N = {
    "de": [
        "Sehr geehrte Frau [[LAST]],\nbitte überweisen Sie den Betrag von [[AMOUNT]] auf das Konto IBAN [[IBAN_DE]]. Rückfragen unter [[PHONE_DE]] oder [[EMAIL]].",
        "Patient: [[NAME]], geboren am [[DOB]], Aufnahme am [[DATE]]. Diagnose: [[ICD]].",
        "Geburtsdatum: [[DOB]]\nTelefon: [[PHONE_DE]]\nE-Mail: [[MYEMAIL]]\nKundennummer: [[N7]]",
        "Hallo [[FIRST]], mein Passwort für das Portal ist [[PASSWORD]], kannst du es zurücksetzen?",
        "Bestellung [[ORDER]] vom [[DATE]] wurde versandt, Sendungsnummer [[TRACK]].",
        "Der Server [[IP4]] antwortet seit [[TS]] nicht mehr. Version [[VER]] ist installiert.",
        "Herr [[LAST]] (geb. [[DOB]]) hat am [[DATE]] die Stelle angetreten. Steuer-ID liegt vor.",
    ],
    "fr": [
        "Bonjour [[FIRST]],\nvoici mon RIB : IBAN [[IBAN_FR]]. Vous pouvez me joindre au [[PHONE_FR]].",
        "Nom : [[NAME]]\nDate de naissance : [[DOB]]\nCourriel : [[MYEMAIL]]\nN° de client : [[N6]]",
        "Patient né le [[DOB]], hospitalisé le [[DATE]] pour [[DX]]. Numéro de dossier médical : [[MRN]].",
        "Votre commande [[ORDER]] du [[DATE]] d'un montant de [[AMOUNT]] a été expédiée.",
        "Mon mot de passe est [[PASSWORD]], je n'arrive plus à me connecter depuis [[IP4]].",
        "Madame [[LAST]], née le [[DOB]] à [[CITY]], est employée chez nous depuis le [[DATE]].",
    ],
    "es": [
        "Hola [[FIRST]], mi número es [[PHONE_ES]] y mi correo [[MYEMAIL]].",
        "Fecha de nacimiento: [[DOB]]\nIBAN: [[IBAN_ES]]\nTeléfono: [[PHONE_ES]]",
        "El paciente, nacido el [[DOB]], ingresó el [[DATE]]. Historia clínica n.º [[MRN]].",
        "Su pedido [[ORDER]] por [[AMOUNT]] llegará el [[DATE]]. Seguimiento: [[TRACK]].",
        "La clave de la API es [[APIKEY]], no la compartas.",
        "Nació el [[DOB]] en [[CITY]]; la reunión es el [[DATE]] a las 10:00.",
    ],
    "it": [
        "Gentile [[NAME]], la preghiamo di effettuare il bonifico sull'IBAN [[IBAN_IT]] entro il [[DATE]].",
        "Nato il [[DOB]] a [[CITY]]. Cellulare: [[PHONE_IT]]. Email: [[MYEMAIL]].",
        "Data di nascita: [[DOB]]\nCodice paziente: [[N6]]\nCartella clinica n. [[MRN]]",
        "Ordine [[ORDER]] del [[DATE]]: totale [[AMOUNT]], spedizione [[TRACK]].",
        "La password del wifi dell'ufficio è [[PASSWORD]].",
        "Il server [[IP]] è stato aggiornato alla versione [[VER]] il [[DATE]].",
    ],
    "pt": [
        "Olá [[FIRST]], meu telefone é [[PHONE_BR]] e meu e-mail [[MYEMAIL]].",
        "Data de nascimento: [[DOB]]\nIBAN: [[IBAN_PT]]\nTelemóvel: [[PHONE_PT]]",
        "Paciente nascido em [[DOB]], internado em [[DATE]]. Prontuário: [[MRN]].",
        "Pedido [[ORDER]] de [[DATE]], valor [[AMOUNT]], código de rastreio [[TRACK]].",
        "A senha do sistema é [[PASSWORD]], troque depois do primeiro acesso.",
        "Nasceu a [[DOB]] em [[CITY]] e começou a trabalhar connosco em [[DATE]].",
    ],
    "nl": [
        "Beste [[FIRST]], mijn rekeningnummer is [[IBAN_NL]] en je kunt me bellen op [[PHONE_NL]].",
        "Geboortedatum: [[DOB]]\nE-mail: [[MYEMAIL]]\nKlantnummer: [[N7]]",
        "Patiënt, geboren op [[DOB]], opgenomen op [[DATE]]. Afspraaknummer: [[N6]].",
        "Uw bestelling [[ORDER]] van [[DATE]] is verzonden. Track & trace: [[TRACK]].",
        "Het wachtwoord voor de testomgeving is [[PASSWORD]].",
        "Mevrouw [[LAST]] (geboren [[DOB]]) werkt sinds [[DATE]] bij [[COMPANY]].",
    ],
}


def chat(rng: random.Random) -> Doc:
    d, ctx = Doc(), Ctx(rng)
    prefix = v.pick(rng, CHAT_PREFIX)
    for i in range(rng.randint(1, 4)):
        if i:
            d.t("\n")
        render(d, ctx, prefix + v.pick(rng, CHAT))
    return d


def support(rng: random.Random) -> Doc:
    d, ctx = Doc(), Ctx(rng)
    for i in range(rng.randint(1, 3)):
        if i:
            d.t(v.pick(rng, ["\n\n", "\n---\n", "\nUpdate: "]))
        render(d, ctx, v.pick(rng, SUPPORT))
    return d


def clinical(rng: random.Random) -> Doc:
    d, ctx = Doc(), Ctx(rng)
    for i in range(rng.randint(1, 3)):
        if i:
            d.t("\n")
        render(d, ctx, v.pick(rng, CLINICAL))
    return d


def invoice(rng: random.Random) -> Doc:
    d, ctx = Doc(), Ctx(rng)
    render(d, ctx, v.pick(rng, INVOICE_HEAD))
    d.t("\nItem | Qty | Price\n")
    for _ in range(rng.randint(1, 5)):
        item = v.pick(rng, ["Consulting hours", "Licence seat", "Support plan", "Widget X200",
                            "Shipping", "Cloud storage 1 TB", "Onboarding"])
        render(d, ctx, f"{item} (SKU [[N6]]) | [[N2]] | [[AMOUNT]]\n")
    render(d, ctx, "Subtotal [[AMOUNT]]  VAT [[PCT]]  Total [[AMOUNT]]\n")
    for _ in range(rng.randint(1, 2)):
        render(d, ctx, v.pick(rng, INVOICE_FOOT))
    return d


def hr(rng: random.Random) -> Doc:
    d, ctx = Doc(), Ctx(rng)
    render(d, ctx, v.pick(rng, HR))
    if rng.random() < 0.4:
        d.t("\n\n")
        render(d, ctx, v.pick(rng, HR))
    return d


def email_msg(rng: random.Random) -> Doc:
    d, ctx = Doc(), Ctx(rng)
    render(d, ctx, v.pick(rng, EMAIL_HEAD) + v.pick(rng, EMAIL_SUBJ) + "\n\n")
    render(d, ctx, v.pick(rng, EMAIL_BODY))
    if rng.random() < 0.5:
        render(d, ctx, v.pick(rng, ["\n\nSent from my phone", "\n\n--\n[[NAME]]\nMobile: [[PHONE]]",
                                    "\n\nThis e-mail is confidential. Ref [[UUID]].",
                                    "\n\n> On [[DATEEN]], [[EMAIL]] wrote:\n> see attached"]))
    return d


def i18n(rng: random.Random) -> Doc:
    lang = v.pick(rng, list(I18N))
    d, ctx = Doc(), Ctx(rng, lang)
    for i in range(rng.randint(1, 3)):
        if i:
            d.t("\n")
        render(d, ctx, v.pick(rng, I18N[lang]))
    return d

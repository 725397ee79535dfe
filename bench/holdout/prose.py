"""Prose kinds: chat, support tickets, clinical notes, invoices, HR letters, other languages.

Each text is a few sentences drawn from the kind's pool; sentences carry findings, hard negatives
or both, so one text mixes them as real messages do.
"""

from __future__ import annotations

from random import Random

from .render import Doc

CHAT = (
    "hey, can you rewrite this so it sounds less angry? ",
    "my email is {EMAIL} if the bot needs it. ",
    "Call me on {PHONE} after 5. ",
    "ok so the server at {IP_ADDRESS:v4} keeps timing out, any idea why? ",
    "here's my key {SECRET:key} — why does the API say 401?? ",
    "what is {math}? double check please ",
    "I was born on {DATE_OF_BIRTH:long}, how old am I in days? ",
    "my order {order} never arrived, draft a complaint ",
    "Tracking says {tracking}, is that UPS or FedEx? ",
    "We upgraded to v{version} yesterday and everything broke. ",
    "summarise the meeting from {date} in three bullets ",
    "can you check if {CREDIT_CARD} is a valid card number format? ",
    "forward this to {EMAIL} and cc {EMAIL} ",
    "pls translate: 'the invoice {invoice} is due {date}' ",
    "my SSN is {US_SSN} — is it safe to put it in a tax form online? ",
    "the IPv6 of the box is {IP_ADDRESS:v6} ",
    "whats the ISBN {isbn} book about ",
    "meeting room booked for {n2} people, budget {amount} EUR ",
    "lol the commit {short_sha} reverted everything ",
    "text {first} at {PHONE:us} if you're running late ",
    "I pay rent to {IBAN} each month, write the standing order email ",
    "ping me when done ",
    "port {port} is open on {IP_ADDRESS:v4} but not on {loopback} ",
    "do you know what ZIP {zip4} is? ",
    "DOB {DATE_OF_BIRTH:us} — which zodiac sign? ",
    "my password for the wifi is {SECRET:pw}, write it on the guest card ",
    "the hospital gave me MRN {MEDICAL_RECORD_NUMBER}, what do I need it for? ",
    "is {npi} a valid NPI? ",
    "convert {date} to ISO please ",
    "the build {version} from {ts} is the last good one ",
    "{first} here — new number: {PHONE}! ",
    "why does `uuid4()` give {uuid}? ",
    "sha of the release is {sha256} ",
    "I put {placeholder} as the api key and it fails, what should go there? ",
    "{ts} is when it crashed, request {rid} ",
)

SUPPORT = (
    "Ticket #{n4}{n3}: customer {name} ({EMAIL}) cannot log in since the update to {version}.\n",
    "Customer phone: {PHONE}. Best time to reach: afternoons.\n",
    "Refund requested for order {order}, amount {amount} USD.\n",
    "Card on file: {CREDIT_CARD}, exp {n2}/{year}.\n",
    "Payment was sent from IBAN {IBAN} on {date}.\n",
    "Shipment {tracking} shows delivered but customer disputes.\n",
    "Agent note: verified identity with last four digits only, no full SSN collected.\n",
    "Customer pasted their SSN {US_SSN} into chat; masked in CRM.\n",
    "Error seen by the customer: request id {rid}, at {ts}.\n",
    "The user's login IP was {IP_ADDRESS}.\n",
    "Reset link sent to {EMAIL}. Case reference {invoice}.\n",
    "Escalated to tier 2 by {name} on {date}.\n",
    "Customer shared an API key in the ticket ({SECRET:key}); rotated and told them.\n",
    "Reported password in the form: \"{SECRET:pw}\" — advised to change it.\n",
    "Callback number {PHONE}, alternative {PHONE}.\n",
    "Priority: {n2}. SLA breach at {ts}.\n",
    "Customer asks whether ISBN {isbn} is in stock.\n",
    "Account created {date}; DOB on record {DATE_OF_BIRTH}.\n",
    "From: {name} <{EMAIL}>\nSubject: order {order} missing\n",
    "Customer reports app version {version} crashes on start; device build {n4}.{n3}.\n",
    "Order {order} / invoice {invoice} — {amount} charged twice.\n",
    "Callback requested between {n2}:00 and {n2}:30.\n",
)

CLINICAL = (
    "Patient: {name}. MRN: {MEDICAL_RECORD_NUMBER}. DOB: {DATE_OF_BIRTH:us}.\n",
    "Medical record number {MEDICAL_RECORD_NUMBER}; date of birth {DATE_OF_BIRTH:long}.\n",
    "Admitted {date} with chest pain; troponin {n2}.{n2} ng/L at {ts}.\n",
    "Accession {accession} — CT abdomen, read by Dr. {name} (NPI {npi}).\n",
    "Contact: daughter, {PHONE:us}.\n",
    "Pt DOB {DATE_OF_BIRTH:iso}, MRN #{MEDICAL_RECORD_NUMBER}, allergies: penicillin.\n",
    "Follow-up scheduled {date}. Lab order {order}.\n",
    "BP {n3}/{n2}, HR {n2}, SpO2 9{n2}%.\n",
    "Discharge summary faxed to {PHONE:us}. Insurance member ID {n4}{n4}.\n",
    "Born {DATE_OF_BIRTH:long}; lives alone in {city}.\n",
    "Specimen accession no. {accession}, collected {ts}.\n",
    "Referring provider NPI: {npi}. Claim #{order}.\n",
    "Med rec no. {MEDICAL_RECORD_NUMBER} transferred from outside hospital on {date}.\n",
    "Patient email for portal: {EMAIL}.\n",
    "SSN on intake form: {US_SSN}.\n",
    "Dx: E11.9, I10. Next HbA1c in {n2} weeks.\n",
    "Room {n3}, bed {n2}. Encounter date {date}.\n",
    "MRN#{MEDICAL_RECORD_NUMBER} | DOB {DATE_OF_BIRTH:abbr} | Sex F\n",
)

INVOICE = (
    "INVOICE {invoice}\nDate: {date}\nDue: {date}\n",
    "Bill to: {name}, {EMAIL}, {PHONE}\n",
    "Please transfer {amount} EUR to IBAN {IBAN} (BIC {bic}).\n",
    "Bank details — IBAN: {IBAN}\n",
    "Paid by card {CREDIT_CARD} on {date}.\n",
    "PO number: {order}. Tracking: {tracking}.\n",
    "Line 1: {n2} x consulting @ {amount} = {amount}\n",
    "Supplier NPI {npi}, accession {accession}.\n",
    "Order reference {order} / invoice {invoice}.\n",
    "VAT: {n2}% ({amount}). Total: {amount}\n",
    "Remit to {city} {zip4}\n",
    "Questions? {EMAIL} or {PHONE}.\n",
    "Card ending {n4}; reference {ref16}.\n",
    "ISBN {isbn} x {n2} copies\n",
    "Fax: {PHONE}\n",
    "Charged to card {masked_card} on {date}.\n",
)

HR = (
    "Dear {name},\n\nWe are pleased to offer you the position of Engineer starting {date}.\n",
    "For payroll please confirm your SSN ({US_SSN}) and date of birth ({DATE_OF_BIRTH}).\n",
    "Salary will be paid to the account {IBAN}.\n",
    "Your employee number is {n4}{n2}; your manager is {name}.\n",
    "Emergency contact: {name}, {PHONE}.\n",
    "Please reply to {EMAIL} by {date}.\n",
    "Your temporary portal password is {SECRET:pw} — change it on first login.\n",
    "Annual review on {date}; raise of {n2}% effective {date}.\n",
    "Employee: {name}, born {DATE_OF_BIRTH:long_eu}, start date {date}.\n",
    "Social Security Number: {US_SSN:any}\n",
    "We keep only the last four digits of your SSN on file ({masked_ssn}).\n",
    "Benefits enrolment closes {date}; plan ID {order}.\n",
    "Kind regards,\n{name}\nPeople Team, {PHONE}\n",
)

# Other languages: birth phrases and labels in each, with their own dates and numbers.
I18N = (
    "Guten Tag {name}, geboren am {DATE_OF_BIRTH:de}, Ihre Rechnung {invoice} vom {date} ist "
    "fällig.\n",
    "Geburtsdatum: {DATE_OF_BIRTH:de}. Telefon: {PHONE:de}. IBAN: {IBAN:de}\n",
    "Bitte überweisen Sie {amount} € bis zum {date} auf {IBAN:de}.\n",
    "Bonjour, je suis né le {DATE_OF_BIRTH:eu} à {city}. Mon numéro : {PHONE:fr}.\n",
    "Date de naissance : {DATE_OF_BIRTH:eu}. Courriel : {EMAIL}\n",
    "Facture n° {invoice} du {date}, à régler sur {IBAN:fr}.\n",
    "Hola, nací el {DATE_OF_BIRTH:eu}. Mi teléfono es {PHONE:es}.\n",
    "Fecha de nacimiento: {DATE_OF_BIRTH:eu}. Pedido {order} enviado el {date}.\n",
    "Transferencia a {IBAN:es} por {amount} €.\n",
    "Buongiorno, sono nato il {DATE_OF_BIRTH:eu} e il mio cellulare è {PHONE:it}.\n",
    "Data di nascita: {DATE_OF_BIRTH:eu}. IBAN {IBAN:it}.\n",
    "Goedemiddag, ik ben geboren op {DATE_OF_BIRTH:nl}. Bel me op {PHONE:nl}.\n",
    "Geboortedatum: {DATE_OF_BIRTH:nl}; rekeningnummer {IBAN:nl}.\n",
    "Olá, nasci em {DATE_OF_BIRTH:eu} e o meu telemóvel é {PHONE:pt}.\n",
    "Data de nascimento: {DATE_OF_BIRTH:eu}. NIB/IBAN: {IBAN:pt}\n",
    "Bestellung {order} vom {date}, Sendungsnummer {tracking}.\n",
    "Versione {version} rilasciata il {date}.\n",
    "Le serveur {IP_ADDRESS:v4} ne répond plus depuis {ts}.\n",
    "Mijn e-mailadres is {EMAIL}.\n",
    "Número de pedido {order}, total {amount} €.\n",
    "Kreditkarte: {CREDIT_CARD}, gültig bis {n2}/{year}. Kundennummer {n4}{n3}.\n",
    "Carte bancaire {CREDIT_CARD} débitée le {date}, commande {order}.\n",
    "Teléfono de contacto: {PHONE:es}. Correo: {EMAIL}\n",
    "Il mio indirizzo è {EMAIL}, telefono fisso {PHONE:it}.\n",
    "Wachtwoord voor de portal: {SECRET:pw}\n",
    "Die Lieferung {tracking} kommt am {date}; Version {version}.\n",
    "Née le {DATE_OF_BIRTH:long_eu} — patiente suivie depuis {year}.\n",
    "Geburtstag des Patienten: {DATE_OF_BIRTH:de}, Aufnahme am {date}.\n",
    "Contacto: {PHONE:pt}, e-mail {EMAIL}, fatura {invoice}.\n",
)

POOLS = {"chat": CHAT, "support": SUPPORT, "clinical": CLINICAL, "invoice": INVOICE, "hr": HR,
         "i18n": I18N}


def prose(rng: Random, kind: str) -> dict[str, object]:
    pool = POOLS[kind]
    doc = Doc()
    count = rng.randint(1, 4) if kind == "chat" else rng.randint(2, 6)
    picked = rng.sample(range(len(pool)), count)
    # A letter, a note or an invoice keeps its order; chat and other languages come as they come.
    for index in picked if kind in ("chat", "i18n") else sorted(picked):
        doc.fill(rng, pool[index])
    return doc.record(kind)

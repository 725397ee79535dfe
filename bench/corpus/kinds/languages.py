"""Texts in German, French, Spanish, Italian, Dutch and Portuguese, with their own words for
date of birth, phone and medical record, and their own date and phone formats."""

from __future__ import annotations

from random import Random

from ..document import DATE_OF_BIRTH, IBAN, PHONE, Sample, labelled
from ..slots import COMMON
from ..template import Fill, Maker, from_templates
from ..values import dates, ibans, phones

KIND = "non_english"

GERMAN = (
    "Sehr geehrte Damen und Herren,\n\nhiermit kündige ich meinen Vertrag (Kundennummer "
    "<<customer_id>>) zum <<ldate>>. Bitte überweisen Sie das Guthaben auf mein Konto, IBAN "
    "<<liban>>.\n\nMit freundlichen Grüßen\n<<name>>\nTel.: <<lphone>>\nE-Mail: <<email>>\n",
    "Entlassungsbrief\nPatient: <<name>>, geb. <<ldob>>\nMRN: <<mrn>>\nFallnummer: <<encounter>>\n"
    "Zimmer <<room>>, Bett <<bed>>\nAufnahmedatum: <<ldate>>\nAlter: <<age>> Jahre\n"
    "Diagnose: <<icd>>\n",
    "Personalbogen\nName: <<name>>\nGeburtsdatum: <<ldob>>\nGeburtsort: <<city>>\nIBAN: <<liban>>"
    "\nTelefon: <<lphone>>\nEintrittsdatum: <<ldate>>\nPersonalnummer: <<employee_id>>\n",
    "Kannst du mir helfen, eine E-Mail an <<email>> zu schreiben? Ich bin am <<ldob>> geboren "
    "und brauche eine neue Geburtsurkunde.\n",
    "Rechnung Nr. <<invoice_no>> vom <<ldate>>\nBestellnummer: <<order_no>>\nBetrag: <<amount>>\n"
    "Bitte überweisen Sie den Betrag bis zum <<ldate2>> auf IBAN <<liban>> (BIC <<bic>>).\n"
    "Bei Fragen: <<lphone>>\n",
    "Hallo, meine Sendung <<tracking_no>> ist seit dem <<ldate>> unterwegs. Bestellnummer "
    "<<order_no>>, App-Version <<version>>. Was ist da los?\n",
    "Ihr Termin am <<ldate>> um 10:30 Uhr bei Dr. <<other_name>> ist bestätigt. Bitte bringen Sie "
    "Ihre Versichertenkarte mit. Rückfragen unter <<lphone>>.\n",
)
FRENCH = (
    "Bonjour,\n\nje souhaite mettre à jour mes coordonnées : nouveau numéro <<lphone>>, adresse "
    "e-mail <<email>>. Mon numéro client est <<customer_id>>.\n\nCordialement,\n<<name>>\n",
    "Compte rendu d'hospitalisation\nPatient : <<name>>, né(e) le <<ldob>>\nN° de dossier "
    "médical : <<mrn>>\nN° de séjour : <<encounter>>\nChambre <<room>>\nDate d'entrée : "
    "<<ldate>>\n",
    "Fiche salarié\nNom : <<name>>\nDate de naissance : <<ldob>>\nTéléphone : <<lphone>>\n"
    "IBAN : <<liban>>\nDate d'embauche : <<ldate>>\nMatricule : <<employee_id>>\n",
    "Facture n° <<invoice_no>> du <<ldate>>\nMontant TTC : <<amount>>\nRèglement par virement : "
    "IBAN <<liban>> - BIC <<bic>>\nContact : <<support_email>>\n",
    "Peux-tu calculer mon âge exact ? Je suis née le <<ldob>> à <<city>>.\n",
    "Votre colis <<tracking_no>> sera livré le <<ldate>>. Commande <<order_no>>, montant "
    "<<amount>>.\n",
    "Rendez-vous le <<ldate>> à 14h avec le Dr <<other_name>>. Pour annuler, appelez le "
    "<<lphone>>.\n",
)
SPANISH = (
    "Hola, soy <<name>>. Mi fecha de nacimiento es <<ldob>> y mi teléfono es <<lphone>>. "
    "¿Pueden actualizar mi cuenta <<customer_id>>?\n",
    "Informe de alta\nPaciente: <<name>>\nFecha de nacimiento: <<ldob>>\nNúmero de historia "
    "clínica: <<mrn>>\nN.º de episodio: <<encounter>>\nHabitación <<room>>, cama <<bed>>\n"
    "Fecha de ingreso: <<ldate>>\n",
    "Datos del empleado\nNombre: <<name>>\nNacido el <<ldob>> en <<city>>\nIBAN: <<liban>>\n"
    "Móvil: <<lphone>>\nCorreo: <<email>>\n",
    "Factura n.º <<invoice_no>>\nFecha: <<ldate>>\nTotal: <<amount>>\nForma de pago: "
    "transferencia a <<liban>>\n",
    "Mi pedido <<order_no>> no ha llegado, el número de seguimiento es <<tracking_no>>. Lo pedí "
    "el <<ldate>>.\n",
    "Cita el <<ldate>> a las 9:00. Si no puede asistir, llame al <<lphone>> o escriba a "
    "<<support_email>>.\n",
    "¿Cuántos años tengo si nací el <<ldob>>?\n",
)
ITALIAN = (
    "Gentile cliente, la informiamo che la fattura n. <<invoice_no>> del <<ldate>> risulta non "
    "pagata. Coordinate bancarie: IBAN <<liban>>. Per informazioni chiamare il <<lphone>>.\n",
    "Lettera di dimissione\nPaziente: <<name>>, nato il <<ldob>>\nNumero cartella clinica: "
    "<<mrn>>\nNosologico: <<encounter>>\nStanza <<room>>, letto <<bed>>\n",
    "Scheda dipendente\nCognome e nome: <<name>>\nData di nascita: <<ldob>>\nLuogo di nascita: "
    "<<city>>\nCellulare: <<lphone>>\nEmail: <<email>>\nMatricola: <<employee_id>>\n",
    "Ciao, mi chiamo <<first>> e sono nata il <<ldob>>. Puoi scrivermi una lettera di "
    "presentazione?\n",
    "Il suo ordine <<order_no>> è stato spedito il <<ldate>>, numero di tracciamento "
    "<<tracking_no>>. Versione app <<version>>.\n",
    "Appuntamento confermato per il <<ldate>> alle 11:00. Per disdire: <<lphone>>, "
    "<<support_email>>.\n",
)
DUTCH = (
    "Beste klantenservice,\n\nmijn nieuwe telefoonnummer is <<lphone>> en mijn e-mailadres is "
    "<<email>>. Klantnummer: <<customer_id>>.\n\nMet vriendelijke groet,\n<<name>>\n",
    "Ontslagbrief\nPatiënt: <<name>>\nGeboortedatum: <<ldob>>\nMRN: <<mrn>>\nOpnamenummer: "
    "<<encounter>>\nKamer <<room>>\nOpnamedatum: <<ldate>>\n",
    "Personeelsgegevens\nNaam: <<name>>\nGeboren op <<ldob>> te <<city>>\nIBAN: <<liban>>\n"
    "Telefoon: <<lphone>>\nIn dienst sinds: <<ldate>>\n",
    "Factuur <<invoice_no>>\nFactuurdatum: <<ldate>>\nTotaal: <<amount>>\nGelieve te betalen "
    "op <<liban>> t.n.v. <<company>>.\n",
    "Uw pakket <<tracking_no>> wordt op <<ldate>> bezorgd. Bestelnummer <<order_no>>.\n",
    "Hoe oud ben ik als mijn geboortedatum <<ldob>> is?\n",
)
PORTUGUESE = (
    "Olá, o meu número de telemóvel mudou para <<lphone>>. O meu e-mail é <<email>>. N.º de "
    "cliente <<customer_id>>.\n",
    "Resumo de alta\nDoente: <<name>>\nData de nascimento: <<ldob>>\nN.º do processo clínico: "
    "<<mrn>>\nEpisódio: <<encounter>>\nQuarto <<room>>, cama <<bed>>\n",
    "Ficha do colaborador\nNome: <<name>>\nNascido em <<ldob>>\nIBAN: <<liban>>\nTelefone: "
    "<<lphone>>\nData de admissão: <<ldate>>\n",
    "Fatura n.º <<invoice_no>> de <<ldate>>\nTotal: <<amount>>\nPagamento por transferência "
    "para o IBAN <<liban>>.\n",
    "Paciente <<name>>, prontuário nº <<mrn>>, nascida em <<ldob>>, internada em <<ldate>>, "
    "leito <<bed>>.\n",
    "A sua encomenda <<order_no>> foi enviada em <<ldate>>. Código de rastreio <<tracking_no>>.\n",
)

# language: (country whose phones and IBANs its texts carry, templates)
LANGUAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "de": ("DE", GERMAN),
    "fr": ("FR", FRENCH),
    "es": ("ES", SPANISH),
    "it": ("IT", ITALIAN),
    "nl": ("NL", DUTCH),
    "pt": ("PT", PORTUGUESE),
}


def local_makers(lang: str, country: str) -> dict[str, Maker]:
    def recent(f: Fill) -> str:
        return dates.written(f.rng, dates.recent_date(f.rng), lang)

    return {
        "lphone": lambda f: labelled(PHONE, phones.phone_of(f.rng, country, 0.75)),
        "ldob": lambda f: labelled(
            DATE_OF_BIRTH, dates.written(f.rng, dates.birth_date(f.rng), lang)
        ),
        "liban": lambda f: labelled(IBAN, ibans.iban(f.rng, country)),
        "ldate": recent,
        "ldate2": recent,
    }


def make(rng: Random) -> Sample:
    lang = rng.choice(sorted(LANGUAGES))
    country, templates = LANGUAGES[lang]
    return from_templates(KIND, templates, {**COMMON, **local_makers(lang, country)}, rng)

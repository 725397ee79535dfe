"""Clinical notes: discharge summaries, referrals, lab and radiology reports, triage notes."""

KIND = "clinical"

TEMPLATES = (
    "DISCHARGE SUMMARY\nPatient: <<name>>    DOB: <<dob>>    MRN: <<mrn>>\nEncounter #: "
    "<<encounter>>    Room <<room>>, Bed <<bed>>\nAdmitted: <<visit_date>>    Attending: Dr. "
    "<<other_name>> (NPI <<npi>>)\n\nDiagnosis: <<dx>> (<<icd>>)\nThe patient is a "
    "<<age>>-year-old "
    "admitted for <<dx>>. BP <<measure>>. Discharged home in stable condition.\n",
    "Progress note <<visit_date>>\n<<age>> y/o with <<dx>>, seen for follow-up. Vitals stable. "
    "Continue metformin 500 mg BID. Return in 3 months. CPT <<cpt>>, ICD-10 <<icd>>.\n",
    "REFERRAL\nTo: Cardiology, <<company>>\nRe: <<name>>, born <<dob>>, medical record number "
    "<<mrn>>\nReason: <<dx>>. Please call the patient at <<phone>> to schedule.\n"
    "Referring provider NPI: <<npi>>\n",
    "LAB REPORT\nAccession: <<accession>>    Collected: <<ts>>\nPatient MRN: <<mrn>>    "
    "DOB: <<dob>>    Sex: F\nHbA1c 7.9 % (H)\nGlucose 182 mg/dL (H)\nOrdering NPI: <<npi>>\n",
    "RADIOLOGY - CT HEAD W/O CONTRAST\nAccession <<accession>>, exam date <<visit_date>>\n"
    "MRN <<mrn>>\nFindings: no acute intracranial abnormality.\nCPT <<cpt>>\n",
    "Triage note: <<age>>-year-old presents with chest pain x2 days. Room <<room>>. BP "
    "<<measure>>. Encounter <<encounter>>. No known allergies.\n",
    "Patient <<name>> (MRN: <<mrn>>, D.O.B. <<dob>>) called the nurse line from <<phone>> "
    "reporting dizziness after the dose change on <<visit_date>>.\n",
    "Pt seen in clinic today. Hx of <<dx>>, <<icd>>. Pt is <<age>> years old, DOB on file "
    "redacted. Insurance member ID <<member_id>>, claim <<claim>>.\n",
    "OPERATIVE NOTE\nDate of surgery: <<visit_date>>\nSurgeon: Dr. <<other_name>>, NPI <<npi>>\n"
    "Patient: <<name>>\nMed Rec #: <<mrn>>\nDate of birth: <<dob>>\nProcedure: laparoscopic "
    "cholecystectomy. EBL 20 mL.\n",
    "Patient portal message from <<email>>:\n\"Hi, this is <<first>>, my MRN is <<mrn>>. Can I get "
    "my lab results from <<visit_date>>? My new number is <<phone>>.\"\n",
    "ED course: <<age>> M, arrived <<ts>>, bed <<bed>>. Troponin negative x2. Discharged "
    "<<visit_date>>. Encounter number <<encounter>>, account <<claim>>.\n",
    "Immunization record\nName: <<name>>\nDate of Birth: <<dob>>\nMRN: <<mrn>>\n"
    "Influenza vaccine, lot <<invoice_no>>, given <<visit_date>>\n",
    "Medication reconciliation for MRN <<mrn>>:\n- lisinopril 10 mg daily\n- atorvastatin 40 "
    "mg nightly\nPharmacy phone: <<phone>>. Reviewed <<visit_date>>.\n",
    "Consult request: please evaluate <<name>>, a <<age>>-year-old born <<dob>>, for <<dx>>. "
    "Prior imaging accession <<accession>>.\n",
    "Billing note: encounter <<encounter>>, CPT <<cpt>>, ICD-10 <<icd>>, rendering NPI <<npi>>, "
    "date of service <<visit_date>>, amount <<amount>>.\n",
    "Nursing handoff <<ts>>: Room <<room>> bed <<bed>>, <<age>> F, post-op day 2, pain 3/10, "
    "ambulating. Next vitals due at 14:00.\n",
    "De-identified case for teaching\nPatient: [REDACTED]\nDOB: [REDACTED]\nMRN: [REDACTED]\n"
    "Age: <<age>>\nAdmitted <<visit_date>> with <<dx>> (<<icd>>), room <<room>>.\n",
    "Patient: <<name>>\nDOB: XX/XX/XXXX (withheld)\nMRN: <<mrn>>\nVisit: <<visit_date>>, "
    "encounter <<encounter>>\n",
    "Release of information request\nRequester: <<other_name>> (<<email>>)\nPatient: <<name>>, "
    "DOB <<dob>>, MRN <<mrn>>, SSN <<ssn>>\nRecords: <<visit_date>> to <<date>>\n",
    "Telehealth visit <<visit_date>> from IP <<ip_public>>. Patient verified identity with "
    "date of birth <<dob>>. Plan: continue current regimen for <<dx>>.\n",
    "Pathology: specimen <<accession>> received <<visit_date>>. Diagnosis: benign. Patient age "
    "<<age>>. Signed out by Dr. <<other_name>>.\n",
    "Appointment reminder: <<first>>, you are scheduled on <<visit_date>> at 9:30 with Dr. "
    "<<other_name>>. Reply to this text or call <<phone>>. Ref <<encounter>>.\n",
)

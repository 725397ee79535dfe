"""HR letters and forms: offers, payroll changes, references, onboarding checklists."""

KIND = "hr"

TEMPLATES = (
    "Dear <<first>>,\n\nWe are delighted to offer you the position of Senior Analyst at "
    "<<company>>, starting <<date>>, at an annual salary of <<amount>>. Please return the signed "
    "offer to <<support_email>> by <<date2>>.\n\nSincerely,\n<<other_name>>\nHead of People\n",
    "EMPLOYEE ONBOARDING FORM\nLegal name: <<name>>\nDate of birth: <<dob>>\nSocial Security "
    "Number: <<ssn>>\nPersonal email: <<email>>\nMobile: <<phone>>\nStart date: <<date>>\n"
    "Employee ID: <<employee_id>>\n",
    "Payroll change request\nEmployee: <<name>> (ID <<employee_id>>)\nEffective: <<date>>\n"
    "New bank account: IBAN <<iban>>, BIC <<bic>>\nPrevious account ending <<last4>> to be "
    "closed.\n",
    "To whom it may concern,\n\n<<name>>, born on <<dob>>, has been employed by <<company>> "
    "since <<date>> as a software engineer. This letter is issued at the employee's request.\n"
    "\nHR department, <<work_email>>\n",
    "Reference check notes <<date>>: spoke with <<other_name>> at <<phone>>. Candidate "
    "<<name>> worked there 2019-2023, reliable, would rehire.\n",
    "W-4 follow-up: the SSN on file for <<name>> (<<masked_ssn>>) doesn't match the form. "
    "Employee says the correct number is <<ssn>>. Please update before the <<date>> payroll run.\n",
    "Benefits enrollment\nEmployee: <<name>>\nDependent: <<other_name>>, DOB <<dob>>, "
    "relationship: child\nPlan: PPO Gold, effective <<date>>\nMember ID <<member_id>>\n",
    "Hi <<first>>, welcome aboard! Your laptop (asset tag IT-<<pid>>) ships on <<date>> via "
    "tracking <<tracking_no>>. Your temporary password: <<password>> - change it at first login."
    "\n\nIT Onboarding\n",
    "Termination checklist for <<employee_id>>\n- revoke badge and VPN (last login from "
    "<<ip_public>> on <<date>>)\n- final pay <<amount>> to account on file\n- COBRA notice to "
    "<<email>>\n",
    "Performance review <<date>>\nEmployee ID: <<employee_id>>\nRating: 4/5\nSalary increase "
    "4.5 % effective <<date2>>. Bonus target <<amount>>.\n",
    "Emergency contact update\nEmployee: <<name>>\nContact: <<other_name>> (spouse), <<phone>>, "
    "<<email2>>\n",
    "Visa support letter: <<name>>, date of birth <<dob>>, passport on file, employed since "
    "<<date>>. Contact HR at <<support_email>> or <<phone>> to verify.\n",
    "Timesheet export week 38: employee <<employee_id>>, 40.0 h, overtime 3.5 h, approved by "
    "<<handle>> on <<date>>.\n",
    "Payroll file note: employee <<name>>, SSN <<ssn_bare>>, net pay <<amount>> to <<iban>> on "
    "<<date>>.\n",
    "Candidate profile\nName: <<name>>\nEmail: <<email>>\nPhone: <<phone>>\nAge: <<age>>\n"
    "Expected salary: <<amount>>\nAvailable from <<date>>\n",
    "Dear <<first>>, this confirms your parental leave from <<date>> to <<date2>>. Your employee "
    "number <<employee_id>> and benefits remain active.\n",
)

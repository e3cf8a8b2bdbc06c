"""The first privacy notice, published: what the portal actually processes (read from its
models), under the headings of articles 15-16 of Regulation (EU) 2018/1725 and 13-14 of the
GDPR. [[NAME]] marks a detail the secretariat sets (PRIVACY_NAME, see settings)."""

from django.db import migrations
from django.utils import timezone

TEXT = """\
This notice explains how the JANE Networks Portal processes your personal data when you apply \
for your institution to join a European Network of Expertise on cancer, act for an \
institution, review, endorse, decide or observe. If the portal is run by an institution, body, \
office or agency of the European Union, Regulation (EU) 2018/1725 applies; otherwise the \
General Data Protection Regulation (EU) 2016/679 (GDPR) applies. Either way you are told here \
what articles 13 and 14 of the GDPR (articles 15 and 16 of Regulation 2018/1725) require.

## Who is responsible (the controller)
[[CONTROLLER]], [[CONTROLLER_ADDRESS]]. Contact for anything about your personal data: \
[[CONTACT_EMAIL]].

## What we process
- Your account: email addresses (and whether they are verified), your full name, a hash of \
your password (never the password itself), when you joined and last signed in, your sessions, \
and, if you turn it on, your two-factor authentication (the authenticator app's secret and \
recovery codes, kept to check your codes, and when they were last used).
- Your roles: the institutions you act for and in which role, invitations you sent or received \
(with the invited address), requests to join an institution and their message, the networks \
you coordinate, the decision board or opinion panels you sit on.
- Applications you are on: as representative, deputy or author, the answers given to the \
call's questions (which may name people and describe their experience), the documents \
uploaded (the file, its original name and who uploaded it when), declarations of honour (full \
name, position, date), each submitted version, status changes, requests for information and \
replies, decisions, decision letters and requests for redress.
- If you review: your reviewer profile (areas of expertise, keywords, institution, capacity, \
availability), conflicts of interest you declared and why, your assignments, your reviews \
(comments, scores, recommendation) and consensus notes.
- If you endorse for a country: your endorser profile (authority), your decisions, the \
signatory's name and role, and your reasons.
- The audit trail: who did what, when and why, recorded with your account and email address \
for every change of an application, review, endorsement or decision.
- Emails the portal sent you (address, subject, time) and messages from the call's \
coordinators.
- Your acceptances of this notice and your requests for a copy of your data.
We receive some of these data from other people: the institution's representative who names \
you as deputy or invites you, the coordinators who assign you a review, the national \
authority that names you endorser.

## Why (purposes)
- To run the calls for expressions of interest: receive applications, check eligibility, \
assign reviewers without conflicts of interest, review, endorse, decide and tell applicants.
- To manage the networks' membership and the people acting for each member institution.
- To keep an accountable, tamper-evident record of each decision and who took part in it.
- To keep the portal secure (sign-in, two-factor authentication, sessions, rate limits).
- To send the emails each step needs. No data are used for marketing, profiling or automated \
decisions: the matching of reviewers to applications suggests; people decide.

## On what legal basis
Processing is necessary for a task carried out in the public interest: article 5(1)(a) of \
Regulation 2018/1725 or article 6(1)(e) of the GDPR, the task being the Joint Action on \
Networks of Expertise co-funded under the EU4Health programme (Regulation (EU) 2021/522, \
[[LEGAL_BASIS_ACT]]). Turning on two-factor authentication, where it is optional, is your \
choice.

## Who receives your data (recipients)
- The secretariat and the network coordinators of the network concerned.
- The reviewers assigned to an application, the decision board and the opinion panel, for the \
applications before them.
- The national endorser of the institution's country, for that country's applications.
- European Commission observers, who see only aggregated figures.
- [[PROCESSOR]], which hosts the portal on the controller's behalf (processor).
Your data are not transferred outside the European Economic Area.

## How long we keep them (retention)
- Applications, their documents, reviews, decisions and the audit trail: [[RETENTION_YEARS]] \
years after the call's decisions, as the Joint Action's grant agreement requires records to \
be kept; personal data of people only on applications that were not accepted can be erased \
sooner on request.
- Your account: until you ask for erasure or it is unused; on erasure it is anonymised, and \
the institutional records above keep no name or address of yours.
- A copy of your data you asked for: [[EXPORT_DAYS]] days, then deleted.
- Sessions end when you sign out or after their lifetime.

## Your rights
You may ask to access your data (use "Download my data" on your account pages: a copy of \
everything the portal holds about you, as a JSON file with your documents), to have them \
corrected (your name and email on your account pages, an application's content through its \
pages or the coordinators), erased ("Erase me" on your account pages; the secretariat handles \
it within the legal deadline), to restrict their processing, to object to it on grounds \
relating to your situation, and to receive them in a portable format. Write to \
[[CONTACT_EMAIL]]; we answer within one month.

## Data Protection Officer
[[DPO_CONTACT]].

## Complaints
You may complain at any time to the European Data Protection Supervisor (EDPS), \
https://www.edps.europa.eu, edps@edps.europa.eu, if Regulation 2018/1725 applies; otherwise to \
the data protection authority of your country of residence or work.
"""


def seed(apps, schema_editor):
    PrivacyNotice = apps.get_model("privacy", "PrivacyNotice")
    now = timezone.now()
    PrivacyNotice.objects.get_or_create(
        version=1,
        defaults={"effective_on": now.date(), "text": TEXT, "published_at": now},
    )


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""The steps of an application's life that change several apps at once.

Above every domain app and below the pages that call it (applicant/, coordination/), in the
spirit of Zulip's actions/: each step locks and changes what it must in one transaction,
through the services of the apps it composes, and those services do only their own app's work.
A step owned by one app alone (submitting, releasing a letter, a reviewer's reply) is that
app's service, called where it lives.
"""

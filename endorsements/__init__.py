"""National endorsement: the endorsers who act for a country's authority, and the endorsement of
each application, in the portal or by confirming the applicant's letter."""

"""Applications to calls, their documents, endorsements, reviews and decisions (issue 3 onwards)."""

"""Every write on reviewers, assignments and reviews."""

"""The letter each outcome gets when neither the network nor the call has one of its own.

The data migration stores these as the portal's default templates; administrators edit them
there. They are also the last resort if a default template was deleted.
"""

DEFAULT_LETTERS = {
    "accepted": (
        "Your application to {network}: accepted",
        "Dear {representative},\n\n"
        "We are pleased to tell you that the application of {institution} to the call "
        "“{call}” has been accepted. {institution} joins {network} as: {tier}.\n\n"
        "{reason}\n\n"
        "You can see the decision on the portal: {portal_url}\n\n"
        "With kind regards,\n"
        "The coordinators of {network}\n",
    ),
    "rejected": (
        "Your application to {network}: decision",
        "Dear {representative},\n\n"
        "We regret to tell you that the application of {institution} to the call “{call}” "
        "has not been accepted.\n\n"
        "Reason: {reason}\n\n"
        "If you disagree with this decision, anyone who acts for {institution} may ask for a "
        "review of it, giving reasons, on the portal until {redress_until}: {portal_url}\n\n"
        "With kind regards,\n"
        "The coordinators of {network}\n",
    ),
    "waitlisted": (
        "Your application to {network}: waiting list",
        "Dear {representative},\n\n"
        "The application of {institution} to the call “{call}” meets the call's criteria, but "
        "it has been placed on the waiting list: we will write to you again if a place becomes "
        "available.\n\n"
        "Reason: {reason}\n\n"
        "If you disagree with this decision, anyone who acts for {institution} may ask for a "
        "review of it, giving reasons, on the portal until {redress_until}: {portal_url}\n\n"
        "With kind regards,\n"
        "The coordinators of {network}\n",
    ),
    "referred": (
        "Your application to {network}: referred to the decision board",
        "Dear {representative},\n\n"
        "The application of {institution} to the call “{call}” has been referred to the "
        "decision board, which will decide on it. We will write to you again once it has.\n\n"
        "{reason}\n\n"
        "You can follow the application on the portal: {portal_url}\n\n"
        "With kind regards,\n"
        "The coordinators of {network}\n",
    ),
}

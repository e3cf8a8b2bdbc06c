"""How an instant is shown to people: in a named time zone, with the zone's abbreviation and name.

Infrastructure: knows no domain app. Calls pass their own zone; what has no call (an
invitation, an admin list) is shown in the portal's zone, named too."""

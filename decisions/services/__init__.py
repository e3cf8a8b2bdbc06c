"""Every write on decision letters and redress requests. Views, the admin, tasks and tests call
these alike."""

"""Every write on applications. Views, the admin, tasks and tests call these alike."""

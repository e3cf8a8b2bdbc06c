from celery import shared_task

from applications.services.information import information_request_lapse, information_requests_due


@shared_task
def information_requests_lapse_task() -> int:
    """Close every request for information whose due date has passed; idempotent.

    Editing and sending are refused from the due date on whether or not this has run: the task
    only returns the application to its status and undoes changes that were never sent.
    """
    closed = 0
    for request_id in information_requests_due():
        closed += information_request_lapse(information_request_id=request_id)
    return closed

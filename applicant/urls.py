from django.urls import path

from applicant import views

app_name = "applications"
urlpatterns = [
    path("", views.my_applications, name="mine"),
    path("start/<slug:call_slug>/", views.application_start, name="start"),
    path("preview/<slug:call_slug>/", views.application_form_preview, name="preview"),
    path("<uuid:public_id>/", views.application_detail, name="detail"),
    path("<uuid:public_id>/people/", views.application_people, name="people"),
    path("<uuid:public_id>/sections/<int:section_pk>/", views.application_section, name="section"),
    path("<uuid:public_id>/documents/", views.application_documents, name="documents"),
    path("<uuid:public_id>/endorsement/", views.application_endorsement, name="endorsement"),
    path("<uuid:public_id>/declarations/", views.application_declarations, name="declarations"),
    path("<uuid:public_id>/submit/", views.application_submit, name="submit"),
    path("<uuid:public_id>/reopen/", views.application_reopen, name="reopen"),
    path(
        "<uuid:public_id>/information/",
        views.application_send_information,
        name="send_information",
    ),
    path("<uuid:public_id>/withdraw/", views.application_withdraw, name="withdraw"),
    path("<uuid:public_id>/receipts/<int:number>/", views.application_receipt, name="receipt"),
    path("documents/<uuid:public_id>/", views.document_download, name="document"),
]

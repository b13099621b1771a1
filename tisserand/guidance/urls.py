from django.urls import path, re_path

from tisserand.guidance.views import members, person, public, securing

app_name = "guidance"

ROME = r"(?P<code>[A-N][0-9]{4})"

urlpatterns = [
    # Public self-service (no account, nothing stored)
    path("orientation/decouvrir/", public.explore, name="explore"),
    path("orientation/decouvrir/metiers/", public.results, name="results"),
    re_path(rf"^orientation/decouvrir/metiers/{ROME}/$", public.target, name="target"),
    path("orientation/decouvrir/synthese/", public.synthesis, name="synthesis"),
    path("orientation/decouvrir/synthese.pdf", public.synthesis_pdf, name="synthesis_pdf"),
    path("orientation/decouvrir/contact/", public.contact, name="contact"),
    path("orientation/choix/<slug:name>/", public.public_picker, name="public_picker"),
    path("orientation/reconversion/", securing.reconversion, name="reconversion"),
    # Members
    path("orientation/", members.hub, name="hub"),
    path("orientation/reconversion-collective/", securing.collective, name="collective"),
    path("orientation/demandes-de-contact/", members.contact_requests, name="contact_requests"),
    path(
        "orientation/demandes-de-contact/<uuid:public_id>/attribuer/",
        members.contact_request_assign,
        name="contact_request_assign",
    ),
    path(
        "orientation/demandes-de-contact/<uuid:public_id>/fiche/",
        members.contact_request_person,
        name="contact_request_person",
    ),
    path(
        "orientation/demandes-de-contact/<uuid:public_id>/traitee/",
        members.contact_request_handled,
        name="contact_request_handled",
    ),
    # Counsellor mode, on a person's record
    path("orientation/personnes/<uuid:public_id>/", person.person_suggestions, name="person"),
    path(
        "orientation/personnes/<uuid:public_id>/profil/",
        person.person_profile,
        name="person_profile",
    ),
    re_path(
        rf"^orientation/personnes/(?P<public_id>[0-9a-f-]{{36}})/metiers/{ROME}/$",
        person.person_target,
        name="person_target",
    ),
    path(
        "orientation/personnes/<uuid:public_id>/cibles/",
        person.person_retain,
        name="person_retain",
    ),
    path(
        "orientation/personnes/<uuid:public_id>/cibles/<uuid:target_id>/abandonner/",
        person.person_withdraw,
        name="person_withdraw",
    ),
    path(
        "orientation/personnes/<uuid:public_id>/synthese.pdf",
        person.person_synthesis_pdf,
        name="person_synthesis_pdf",
    ),
]

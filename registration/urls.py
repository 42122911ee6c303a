from django.urls import path

from registration import views

app_name = "registration"

urlpatterns = [
    path("", views.register_start, name="register-start"),
    path("named/", views.draft_create, name="draft-create"),
    path("anonymous/", views.anonymous_register, name="anonymous-register"),
    path("draft/<uuid:code>/clear/", views.draft_clear, name="draft-clear"),
    path("draft/<uuid:code>/duplicates/", views.draft_duplicates, name="draft-duplicates"),
    path("draft/<uuid:code>/family/find/", views.draft_family_find, name="draft-family-find"),
    path("draft/<uuid:code>/family/select/", views.draft_family_select, name="draft-family-select"),
    path("draft/<uuid:code>/family/offer/", views.draft_family_offer, name="draft-family-offer"),
    path("draft/<uuid:code>/family/copy/", views.DraftFamilyCopyView.as_view(), name="draft-family-copy"),
    path(
        "draft/<uuid:code>/<slug:step>/family/copy/",
        views.DraftFamilyCopyView.as_view(),
        name="draft-step-family-copy",
    ),
    path(
        "draft/<uuid:code>/sensitive/unlock/", views.DraftSensitiveUnlockView.as_view(), name="draft-sensitive-unlock"
    ),
    path("draft/<uuid:code>/<slug:step>/", views.DraftStepView.as_view(), name="draft-step"),
    path("done/<uuid:code>/", views.next_steps, name="next-steps"),
    path("family-code/new/", views.family_code_generate, name="family-code-new"),
    path("identifiers/held/", views.identifiers_held, name="identifiers-held"),
    path("identifiers/held/<uuid:code>/", views.identifiers_held, name="identifiers-held"),
    path("help/identifiers/", views.help_identifiers, name="help-identifiers"),
    path("help/family-code/", views.help_family_code, name="help-family-code"),
    path("sites/", views.site_search, name="site-search"),
    path("edit/<uuid:code>/<slug:section>/", views.section_edit, name="section-edit"),
]

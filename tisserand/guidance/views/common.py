"""What the guidance views share: reading the profile form, errors, suggestions with links."""

from dataclasses import dataclass

from django.shortcuts import render

from tisserand.guidance import services
from tisserand.guidance.engine import riasec
from tisserand.guidance.engine.errors import EmptyProfileError
from tisserand.guidance.forms import ACTION_RESULTS, ACTION_SKILLS, ProfileForm, initial_from

ACTION = "action"


def error_page(request, message, status=400, back_url=None):
    return render(
        request,
        "guidance/error.html",
        {"message": message, "back_url": back_url, "breadcrumbs": [("Orientation", None)]},
        status=status,
    )


@dataclass
class FormStep:
    """The profile form and the skills it lists to confirm."""

    form: ProfileForm
    jobs: list  # [(job label, ROME code, [SkillGroup])]
    extra_skills: list
    data: object = None
    action: str = ""

    @property
    def wants_results(self):
        return self.action == ACTION_RESULTS and self.data is not None


def profile_step(params, public, data=None):
    """Reads the profile form from ``params`` (GET or POST) or pre-fills it from ``data``.

    When the form asks for results and is valid, ``step.data`` holds the profile with the
    skills ticked, and only those: the skills of the jobs held are proposed, never ticked in
    advance (the ranking still knows the jobs, and leans on their skills at a lower weight).
    """
    action = params.get(ACTION, "")
    if action in (ACTION_SKILLS, ACTION_RESULTS):
        form = ProfileForm(params, public=public)
        if not form.is_valid():
            return FormStep(form, [], [], action=action)
        data = form.profile_data()
    else:
        form = ProfileForm(initial=initial_from(data) if data else None, public=public)
        if data is None:
            return FormStep(form, [], [], action=action)
    jobs, extra = services.skills_to_confirm(data)
    data.skills = services.checked_skills(jobs, extra)
    step = FormStep(form, jobs, extra, action=action)
    if action == ACTION_RESULTS:
        if data.is_empty():
            form.add_error(None, str(EmptyProfileError()))
        else:
            step.data = data
    return step


def form_context(step):
    return {
        "form": step.form,
        "skill_jobs": step.jobs,
        "extra_skills": step.extra_skills,
        "riasec_letters": riasec.LETTER_LABELS,
        "action_skills": ACTION_SKILLS,
        "action_results": ACTION_RESULTS,
    }


@dataclass
class Listed:
    """A suggestion with the link to its detail page."""

    suggestion: object
    url: str


def listed(suggestions, url_for):
    return [Listed(suggestion, url_for(suggestion.code)) for suggestion in suggestions]

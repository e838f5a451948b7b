"""The campaign's rectification settings (整改与报送设置), the office's own page: how a
rectification report is concluded (a ballot or the director's meeting), whether the
assessment groups oversee rectification, and the list of reporting steps."""

from django.shortcuts import get_object_or_404, render

from core.forms import form_data, version_of
from core.object_views import object_post
from core.roles import Role, role_required
from reviews.models import Campaign
from reviews.services import campaign_update
from reviews.views import office_campaign

from ..forms import RectificationSettingsForm, StepEditForm, StepForm
from ..models import SUGGESTED_STEPS, StepRecipient
from ..services import reporting_step_add, reporting_step_delete, reporting_step_update

SETTINGS_FIELDS = ("rectification_conclusion", "groups_oversee_rectification")


def _settings_version(campaign: Campaign) -> str:
    return version_of([getattr(campaign, f) for f in SETTINGS_FIELDS])


@role_required(Role.OFFICE)
def campaign_rectification_settings(request, pk: int):
    return _settings_page(request, get_object_or_404(Campaign, pk=pk))


def _settings_page(request, campaign, *, status=200):
    steps = list(campaign.reporting_steps.order_by("position", "pk"))
    names = {s.name for s in steps}
    return render(
        request,
        "rectification/settings.html",
        {
            "campaign": campaign,
            "settings_version": _settings_version(campaign),
            "steps": [(s, version_of(s)) for s in steps],
            "suggested": [
                (name, recipient, StepRecipient(recipient).label)
                for name, recipient in SUGGESTED_STEPS
                if name not in names
            ],
            "recipients": StepRecipient.choices,
        },
        status=status,
    )


# An office POST on the settings page: read the form, call the service; a refusal shows
# the page again with the message (400) and nothing is written.
_settings_post = object_post(
    lookup=office_campaign, page=_settings_page, detail="campaign_rectification_settings"
)


@_settings_post
def rectification_settings_save(request, campaign, forms):
    form = RectificationSettingsForm(request.POST, version=_settings_version(campaign))
    data = form_data(form)
    campaign_update(actor=request.user, campaign=campaign, **{f: data[f] for f in SETTINGS_FIELDS})
    return "整改结论方式已保存。"


@_settings_post
def reporting_step_add_view(request, campaign, forms):
    data = form_data(StepForm(request.POST))
    step = reporting_step_add(actor=request.user, campaign=campaign, **data)
    return f"已增加报送事项“{step.name}”。"


@_settings_post
def reporting_step_update_view(request, campaign, forms, step_pk: int):
    step = get_object_or_404(campaign.reporting_steps, pk=step_pk)
    data = form_data(StepEditForm(request.POST, version=version_of(step)))
    reporting_step_update(actor=request.user, step=step, **data)
    return "报送事项已保存。"


@_settings_post
def reporting_step_delete_view(request, campaign, forms, step_pk: int):
    step = get_object_or_404(campaign.reporting_steps, pk=step_pk)
    reporting_step_delete(actor=request.user, step=step)
    return f"已删除报送事项“{step.name}”。"

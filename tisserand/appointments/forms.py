from datetime import datetime, timedelta

from django import forms
from django.utils import timezone

from tisserand.appointments import conflicts, services
from tisserand.appointments.models import RECORDED_ATTENDANCES, Appointment, Attendance, Mode
from tisserand.core.forms import model_values

DURATION_CHOICES = [
    (15, "15 minutes"),
    (30, "30 minutes"),
    (45, "45 minutes"),
    (60, "1 heure"),
    (90, "1 heure 30"),
    (120, "2 heures"),
    (180, "3 heures"),
]


class AppointmentForm(forms.ModelForm):
    """Books or moves an appointment. ``now`` is when the form is validated (for tests)."""

    day = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text="Une date passée est possible pour saisir un entretien déjà tenu.",
    )
    time = forms.TimeField(
        label="Heure",
        widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"),
        input_formats=["%H:%M", "%Hh%M", "%H:%M:%S"],
    )
    duration_minutes = forms.TypedChoiceField(
        label="Durée", choices=DURATION_CHOICES, coerce=int, initial=45
    )
    confirm_conflicts = forms.BooleanField(
        label="Je confirme ce rendez-vous malgré ces alertes",
        required=False,
        help_text="Sinon, changez la date, l'heure, le conseiller ou le lieu.",
    )
    # The fingerprint of the warnings shown with the box: another clash needs its own tick.
    conflicts_seen = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Appointment
        fields = ["counsellor", "mode", "place", "subject"]
        widgets = {"mode": forms.RadioSelect}

    field_order = ["day", "time", "duration_minutes", "counsellor", "mode", "place", "subject"]

    def __init__(self, *args, counsellors, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        self.conflicts, self.confirmed = [], False
        self.fields["counsellor"].queryset = counsellors
        self.fields["counsellor"].empty_label = None
        self.fields["counsellor"].label_from_instance = lambda user: (
            user.get_full_name() or user.email
        )
        self.fields["subject"].widget.attrs["placeholder"] = "Ex. : point sur la recherche d'emploi"
        if self.instance.pk:
            local = timezone.localtime(self.instance.starts_at)
            self.initial.setdefault("day", local.date())
            self.initial.setdefault("time", local.time().replace(second=0, microsecond=0))
            self.initial.setdefault("duration_minutes", self.instance.duration_minutes)

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("day"), cleaned.get("time")
        if day is not None and time is not None:
            starts_at = timezone.make_aware(datetime.combine(day, time))
            error = services.booking_date_error(starts_at, self.now)
            if error:
                self.add_error("day", error)
            self.instance.starts_at = starts_at
            self._check_attendance(starts_at)
        if cleaned.get("duration_minutes"):
            self.instance.duration = timedelta(minutes=cleaned["duration_minutes"])
        if cleaned.get("mode") == Mode.VIDEO and not cleaned.get("place"):
            self.add_error("place", "Indiquez le lien de la visioconférence.")
        if not self.errors:
            self._check_conflicts(cleaned)
        return cleaned

    def _check_conflicts(self, cleaned):
        """Lists the clashes; they stop the form until the counsellor ticks the box shown with
        them (the same ones: the box is tied to their fingerprint)."""
        slot = self._slot(cleaned)
        if self.instance.pk and not conflicts.moved(
            Appointment.objects.get(pk=self.instance.pk), slot
        ):
            return
        self.conflicts = conflicts.warnings_for(slot)
        if not self.conflicts:
            return
        seen = conflicts.digest(self.conflicts)
        self.confirmed = bool(cleaned.get("confirm_conflicts")) and (
            cleaned.get("conflicts_seen") == seen
        )
        if not self.confirmed:
            self.data = self.data.copy()
            self.data["conflicts_seen"] = seen
            self.data.pop("confirm_conflicts", None)
            self.add_error(
                "confirm_conflicts",
                "Ce rendez-vous demande confirmation : cochez la case pour le garder tel quel, "
                "ou changez-le.",
            )

    def _slot(self, cleaned):
        instance = self.instance
        return conflicts.Slot(
            person=instance.person,
            counsellor=cleaned.get("counsellor"),
            structure=instance.structure,
            starts_at=instance.starts_at,
            duration=instance.duration,
            mode=cleaned.get("mode") or Mode.ON_SITE,
            place=cleaned.get("place") or "",
            pk=instance.pk,
        )

    def values(self):
        """The appointment's fields as typed (start and duration from their own fields)."""
        return {
            **model_values(self),
            "starts_at": self.instance.starts_at,
            "duration": self.instance.duration,
        }

    def _check_attendance(self, starts_at):
        recorded = self.instance.pk and self.instance.attendance != Attendance.PLANNED
        if recorded and starts_at > self.now:
            self.add_error(
                "day",
                "La présence de ce rendez-vous est déjà saisie : il ne peut pas être déplacé "
                "dans le futur.",
            )


class BookingForm(AppointmentForm):
    """Booking also lets the counsellor record the attendance of an appointment already held."""

    class Meta(AppointmentForm.Meta):
        fields = [*AppointmentForm.Meta.fields, "attendance"]
        widgets = {"mode": forms.RadioSelect, "attendance": forms.RadioSelect}
        help_texts = {
            "attendance": "Pour un rendez-vous passé ou en cours, vous pouvez saisir la présence "
            "dès maintenant."
        }

    def _check_attendance(self, starts_at):
        attendance = self.cleaned_data.get("attendance")
        if attendance and attendance != Attendance.PLANNED and starts_at > self.now:
            self.add_error("attendance", services.ATTENDANCE_BEFORE_START)


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(
        label="Présence",
        choices=[(value, Attendance(value).label) for value in RECORDED_ATTENDANCES],
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez : présent, absent excusé ou absent."},
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Motif (facultatif)",
        max_length=300,
        required=False,
        help_text="Ex. : demande de la personne, conseiller absent.",
    )

"""The cadre's screens of the PUS register: the list with its counts, a couple, add, edit, status, leaving.

A couple's scope is its RT: outsiders get a 404, readers who may not write (the OPD) a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cadres import access
from cadres.idempotency import idempotent
from cadres.models import Couple
from cadres.navigation import back
from cadres.register import queries as register_queries
from cadres.register.forms import CoupleAddForm, CoupleEditForm, LeaveForm, RegisterFilterForm, StatusForm
from cadres.register.rules import KIND_NOTES, RISK_LABELS, couple_add, couple_status_set, couple_update, risk_flags, status_on

PAGE_SIZE = 50
LIST_LEVELS = ("desa", "rw", "rt")  # above a desa the page lists units only: too many couples


def couple_for(request, pk, *, write=False) -> Couple:
    """The couple if in the user's scope (404 otherwise) and the user may read couples' names
    (403 for the OPD), and writable by them when asked (403)."""
    couple = get_object_or_404(Couple.objects.select_related("rt"), pk=pk)
    if not access.can_see(request.user, couple.rt_id):
        raise Http404
    access.check(access.sees_couple_names(request.user))
    if write and not access.can_write(request.user, couple.rt_id):
        raise PermissionDenied
    return couple


def _back(request, couple):
    """Where to go after a change: the page the cadre came from (if ours), else the RT's list."""
    return back(request, reverse("register", args=[couple.rt_id]))


@login_required
def register(request, code):
    unit = access.unit_for_reading(request.user, code)
    today = timezone.localdate()
    filters = RegisterFilterForm(request.GET)
    rows = [] if unit.is_rt else register_queries.counts_by_unit(unit, today)
    context = {
        "unit": unit, "today": today, "filters": filters,
        "ancestors": access.visible_ancestors(request.user, unit),
        "counts": register_queries.register_counts(code, today),
        "rows": rows,
        # A desa's RTs under their RW: each RW numbers its RTs from 001 again.
        "rw_groups": register_queries.rows_by_rw(rows) if unit.level == "desa" else [],
        "can_add": unit.is_rt and access.can_write(request.user, code),
        "can_write": access.can_write(request.user, code),
        "sees_names": access.sees_couple_names(request.user),
        "lists_couples": unit.level in LIST_LEVELS and access.sees_couple_names(request.user),
        "names_hidden": unit.level in LIST_LEVELS and not access.sees_couple_names(request.user),
        "can_export": access.may_export_register(request.user),
        "month": register_queries.reporting_month(today),
    }
    if context["lists_couples"]:
        couples = register_queries.couples_in(code, today)
        couples = register_queries.filter_couples(couples, today, **filters.filters())
        page = Paginator(couples, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(page=page, couples=register_queries.decorate(page, today))
    return render(request, "cadres/register/list.html", context)


@login_required
def couple_detail(request, pk):
    couple = couple_for(request, pk)
    today = timezone.localdate()
    current = status_on(couple, today)
    statuses = list(couple.statuses.order_by("-since"))
    context = {
        "couple": couple, "today": today, "age": couple.wife_age_on(today),
        "current": current,
        "badge": register_queries.status_badge(current and current.status),
        "risks": [RISK_LABELS[flag] for flag in risk_flags(couple, today)],
        "statuses": statuses,
        "first_is_method": bool(statuses) and statuses[-1].is_method,
        "history": register_queries.couple_history(couple),
        "can_write": access.can_write(request.user, couple.rt_id),
        "show_nik": access.sees_full_nik(request.user),
        "show_birth_date": access.sees_birth_dates(request.user) and not couple.wife_birth_date_estimated,
    }
    return render(request, "cadres/register/detail.html", context)


@login_required
@idempotent
def couple_new(request, code):
    unit = access.unit_for_writing(request.user, code)
    if not unit.is_rt:
        raise Http404
    form = CoupleAddForm(request.POST or None, instance=Couple(rt=unit), show_nik=access.sees_full_nik(request.user),
                         initial={"registered_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        couple = couple_add(rt=unit, status=data["status"], place=data["place"], since=data["registered_on"],
                            **form.couple_fields())
        messages.success(request, _("%(couple)s ditambahkan ke register.") % {"couple": couple})
        if "again" in request.POST:
            return redirect("couple_add", code=code)
        return redirect("couple_detail", pk=couple.pk)
    return render(request, "cadres/register/form.html", {"form": form, "unit": unit, "adding": True})


@login_required
def couple_edit(request, pk):
    couple = couple_for(request, pk, write=True)
    form = CoupleEditForm(request.POST or None, instance=couple, show_nik=access.sees_full_nik(request.user),
                          show_birth_date=access.sees_birth_dates(request.user))
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            couple_update(form.save(commit=False), recount=form.counts_changed)
            messages.success(request, _("Data %(couple)s disimpan.") % {"couple": couple})
        return redirect("couple_detail", pk=couple.pk)
    return render(request, "cadres/register/form.html", {"form": form, "unit": couple.rt, "couple": couple})


@login_required
@idempotent
def couple_status(request, pk):
    couple = couple_for(request, pk, write=True)
    today = timezone.localdate()
    current = status_on(couple, today)
    initial = {"since": today, "place": (current and current.place) or "pemerintah"}
    form = StatusForm(request.POST or None, couple=couple, initial=initial)
    if request.method == "POST" and form.is_valid():
        row = couple_status_set(couple=couple, **form.cleaned_data)
        message = _("%(couple)s: %(status)s sejak %(date)s.") % {
            "couple": couple, "status": register_queries.status_text(row.status, row.place),
            "date": date_format(row.since, "j F Y"),
        }
        messages.success(request, " ".join(filter(None, [message, str(KIND_NOTES.get(row.kind, ""))])))
        return redirect(_back(request, couple))
    context = {"form": form, "couple": couple, "current": current, "next": _back(request, couple)}
    return render(request, "cadres/register/status.html", context)


@login_required
def couple_leave(request, pk):
    couple = couple_for(request, pk, write=True)
    initial = {} if couple.left_on else {"left_on": timezone.localdate()}
    form = LeaveForm(request.POST or None, instance=couple, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("%(couple)s berhenti dari register sejak %(date)s (%(reason)s).") % {
            "couple": couple, "date": date_format(couple.left_on, "j F Y"), "reason": couple.get_left_reason_display(),
        })
        return redirect("register", code=couple.rt_id)
    return render(request, "cadres/register/leave.html", {"form": form, "couple": couple})

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.access import role_required
from accounts.audit import audit_record
from accounts.roles import PEOPLE_READERS, PEOPLE_WRITERS
from people.access import agencies_writable_by, can_see_full_identity, person_for_user
from people.exports import EXPORT_FORMATS, people_export
from people.forms import PersonForm
from people.links import links_for
from people.models import Agency, EmploymentType, Position, Region
from people.selectors import SORTS, PersonFilters, person_search
from people.services import person_create, person_update
from web.pagination import paginate_by_ids


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def filters_from(params) -> PersonFilters:
    return PersonFilters(
        q=params.get("q", "").strip()[:100],
        agency=_int_or_none(params.get("agency")),
        province=params.get("province", "").strip()[:2],
        position=_int_or_none(params.get("position")),
        employment_type=params.get("employment_type", "") if params.get("employment_type") in EmploymentType.values
        else "",
        sort=params.get("sort") if params.get("sort") in SORTS else "name",
    )


def _sort_links(params, current: str) -> dict[str, dict[str, str]]:
    """For each sortable column: the URL that sorts by it (keeping the filters) and its aria-sort."""
    links = {}
    for key in ("name", "agency", "province"):
        query = params.copy()
        query.pop("page", None)
        query["sort"] = f"-{key}" if current == key else key
        state = "ascending" if current == key else "descending" if current == f"-{key}" else "none"
        links[key] = {"url": "?" + query.urlencode(), "aria": state}
    return links


def _export_query(params) -> str:
    query = params.copy()
    query.pop("page", None)
    return query.urlencode()


@role_required(*PEOPLE_READERS)
def person_list(request):
    filters = filters_from(request.GET)
    page = paginate_by_ids(request, person_search(user=request.user, filters=filters))
    context = {
        "page": page,
        "filters": filters,
        "agencies": Agency.objects.all() if request.user.is_centre else Agency.objects.filter(pk=request.user.agency_id),
        "provinces": Region.objects.filter(level=1),
        "positions": Position.objects.all(),
        "employment_types": EmploymentType.choices,
        "full_identity": can_see_full_identity(request.user),
        "can_create": agencies_writable_by(request.user).exists(),
        "sort_links": _sort_links(request.GET, filters.sort),
        "export_query": _export_query(request.GET),
    }
    template = "people/_person_rows.html" if request.headers.get("HX-Request") else "people/person_list.html"
    return render(request, template, context)


@role_required(*PEOPLE_READERS)
def person_export_view(request, fmt: str):
    """The current filtered (and sorted) list as CSV or XLSX; NIP/NIK masked unless the user may see them."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    filters = filters_from(request.GET)
    try:
        return people_export(user=request.user, filters=filters, fmt=fmt)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        query = _export_query(request.GET)
        return redirect(reverse("people:list") + (f"?{query}" if query else ""))


def person_detail(request, person_id: int):
    person = person_for_user(request.user, person_id)
    full = can_see_full_identity(request.user)
    if full and request.GET.get("show") == "nik" and person.nik:
        audit_record(actor=request.user, action="person.view_nik", target=person)
    can_edit = agencies_writable_by(request.user).filter(pk=person.agency_id).exists()
    return render(request, "people/person_detail.html", {
        "person": person, "full_identity": full, "show_nik": full and request.GET.get("show") == "nik",
        "can_edit": can_edit, "links": links_for(person),
    })


@role_required(*PEOPLE_WRITERS)
def person_create_view(request):
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person = person_create(by=request.user, data=form.to_input())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("%(name)s ditambahkan.") % {"name": person.display_name})
            return redirect("people:detail", person_id=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": None})


@role_required(*PEOPLE_WRITERS)
def person_edit_view(request, person_id: int):
    person = person_for_user(request.user, person_id)
    if not agencies_writable_by(request.user).filter(pk=person.agency_id).exists():
        raise PermissionDenied
    form = PersonForm(request.POST or None, user=request.user, instance=person,
                      initial=PersonForm.initial_from(person))
    if request.method == "POST" and form.is_valid():
        try:
            person, changed = person_update(by=request.user, person=person, data=form.to_input())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            if changed:
                messages.success(request, _("Perubahan disimpan."))
            else:
                messages.info(request, _("Tidak ada yang berubah."))
            return redirect("people:detail", person_id=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})

"""Pages of the import: upload → preview (with mapping correction) → commit → result and error report."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.access import role_required
from imports import services
from imports.access import IMPORT_ROLES, run_for_user
from imports.mapping import PEOPLE_FIELDS
from imports.models import ImportRun
from imports.selectors import run_issues, run_list
from people.access import agencies_writable_by, can_see_full_identity
from people.identity import mask_identity
from web.exports import xlsx_response
from web.pagination import paginate


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Berkas spreadsheet (XLSX, XLS, ODS atau CSV)"))
    agency = forms.ModelChoiceField(label=gettext_lazy("Instansi tujuan"), queryset=None,
                                    help_text=gettext_lazy("Baris tanpa kolom instansi masuk ke instansi ini."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = agencies_writable_by(user)
        self.fields["agency"].queryset = agencies
        if agencies.count() == 1:
            self.fields["agency"].initial = agencies.first()


def _field_labels() -> dict[str, str]:
    labels = {f.name: str(f.label) for f in PEOPLE_FIELDS.fields}
    labels.update({"position": labels["position"], "level": str(_("Jenjang jabatan")),
                   "region": labels["region"], "province": labels["province"], "agency": labels["agency"],
                   "title_prefix": str(_("Gelar depan")), "title_suffix": str(_("Gelar belakang")),
                   "employment_type": labels["employment_type"]})
    return labels


@role_required(*IMPORT_ROLES)
def run_list_view(request):
    page = paginate(request, run_list(user=request.user), per_page=25)
    return render(request, "imports/run_list.html", {"page": page})


@role_required(*IMPORT_ROLES)
def upload_view(request):
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.import_run_create(by=request.user, upload=form.cleaned_data["file"],
                                             agency=form.cleaned_data["agency"])
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            services.import_run_start_check(run=run, by=request.user)
            return redirect("imports:detail", run_id=run.pk)
    return render(request, "imports/upload.html", {"form": form})


def _detail_context(request, run: ImportRun) -> dict:
    full = can_see_full_identity(request.user)
    labels = _field_labels()
    sample = []
    for row in run.sample:
        row = dict(row)
        row["identity"] = row["identity"] if full else mask_identity(row["identity"])
        row["change_labels"] = [labels.get(c, c) for c in row.get("changes", [])]
        sample.append(row)
    columns = []
    for index, header in enumerate(run.headers):
        columns.append({"index": index, "header": header or _("(tanpa judul)"),
                        "field": run.mapping.get(str(index), "ignore")})
    issues = paginate(request, run_issues(run=run, level=request.GET.get("level", "")), per_page=50)
    return {"run": run, "sample": sample, "columns": columns, "choices": PEOPLE_FIELDS.choices(), "issues": issues,
            "modes": ImportRun.Mode.choices, "level": request.GET.get("level", "")}


def run_detail_view(request, run_id: int):
    run = run_for_user(request.user, run_id)
    return render(request, "imports/run_detail.html", _detail_context(request, run))


def run_progress_view(request, run_id: int):
    run = run_for_user(request.user, run_id)
    response = render(request, "imports/_run_progress.html", {"run": run})
    if not run.is_busy and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@require_POST
def run_mapping_view(request, run_id: int):
    run = run_for_user(request.user, run_id)
    valid = {name for name, _label in PEOPLE_FIELDS.choices()}
    mapping = {}
    for index in range(len(run.headers)):
        value = request.POST.get(f"col_{index}", "ignore")
        if value in valid and value != "ignore" and value not in mapping.values():
            mapping[index] = value
    header_row = request.POST.get("header_row", "")
    try:
        services.import_run_start_check(run=run, by=request.user, mapping=mapping,
                                        header_row=int(header_row) if header_row.isdigit() else None)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Pemetaan kolom disimpan; pratinjau diperbarui."))
    return redirect("imports:detail", run_id=run.pk)


@require_POST
def run_commit_view(request, run_id: int):
    run = run_for_user(request.user, run_id)
    try:
        run = services.import_run_start_commit(run=run, by=request.user, mode=request.POST.get("mode", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if run.status == ImportRun.Status.DONE:
            messages.success(request, _("Impor selesai: %(new)d ditambahkan, %(updated)d diperbarui.")
                             % {"new": run.created_count, "updated": run.updated_count})
    return redirect("imports:detail", run_id=run.pk)


def run_error_report_view(request, run_id: int) -> HttpResponse:
    run = run_for_user(request.user, run_id)
    header = [_("Baris"), *run.headers, _("Status"), _("Keterangan")]
    width = len(run.headers)

    def rows():
        for issue in run_issues(run=run).iterator(chunk_size=2000):
            raw = list(issue.raw)[:width] + [None] * max(0, width - len(issue.raw))
            text = "; ".join(f"{m['column']}: {m['message']}" for m in issue.messages)
            yield [issue.row, *raw, str(issue.get_level_display()), text]

    return xlsx_response(f"laporan-galat-impor-{run.pk}.xlsx", header, rows(), sheet=str(_("Galat")))



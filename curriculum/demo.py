"""Demo data: partner institutions, their authors and reviewers, and the centre's modules.

The Covid-19 modules were written in two weeks by the centre with the training school, universities,
the certification body and practitioners. Idempotent: institutions and modules that exist are kept."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import User
from curriculum.models import Competency, Institution, InstitutionMember, Module
from curriculum.services import (
    ModuleInput,
    institution_create,
    institution_member_add,
    material_add_link,
    module_create,
    review_decide,
    session_add,
    version_approve,
    version_new_draft,
    version_submit_for_review,
    version_update,
)
from people.models import Position

K = Institution.Kind
INSTITUTIONS = [
    ("pusbangprof", "Pusbangprof Pekerja Sosial dan Penyuluh Sosial", K.CENTRE),
    ("bbppks-bandung", "BBPPKS Bandung (Balai Besar Pendidikan dan Pelatihan Kesejahteraan Sosial)", K.TRAINING_SCHOOL),
    ("poltekesos", "Politeknik Kesejahteraan Sosial Bandung", K.UNIVERSITY),
    ("ui", "Universitas Indonesia", K.UNIVERSITY),
    ("lsps", "Lembaga Sertifikasi Pekerja Sosial (LSPS)", K.CERTIFICATION_BODY),
    ("ipspi", "Ikatan Pekerja Sosial Profesional Indonesia (IPSPI)", K.ASSOCIATION),
    ("praktisi-ldp", "Jejaring Praktisi LDP dan Tagana", K.PRACTITIONERS),
]
#: username, institution, role
MEMBERS = [
    ("penyusun", "poltekesos", InstitutionMember.Role.AUTHOR),
    ("penyusun", "bbppks-bandung", InstitutionMember.Role.AUTHOR),
    ("penelaah", "lsps", InstitutionMember.Role.REVIEWER),
    ("penelaah", "ipspi", InstitutionMember.Role.REVIEWER),
]

CLASS, PRACTICE, ONLINE = "classroom", "practice", "elearning"

#: code, title, owner, competencies, positions, summary, objectives, sessions, videos, final state
MODULES = [
    ("ldp-covid19", "Layanan Dukungan Psikososial (LDP) pada Masa Pandemi Covid-19", "poltekesos",
     ["ldp", "perlindungan-rentan"], ["pekerja-sosial", "tagana", "tksk", "pendamping-pkh"],
     "Dukungan psikososial awal bagi penyintas, keluarga pasien dan tenaga kesehatan selama pandemi.",
     "Menjelaskan dampak psikososial pandemi Covid-19\nMemberikan dukungan psikologis awal (PFA) secara daring "
     "dan tatap muka\nMengenali tanda bahaya dan merujuk kasus berat\nMenjaga kesejahteraan diri petugas LDP",
     [("Dampak psikososial pandemi", CLASS, 2), ("Dukungan psikologis awal (PFA)", CLASS, 3),
      ("Praktik PFA melalui telepon dan video", PRACTICE, 4), ("Rujukan dan jejaring layanan", CLASS, 2),
      ("Perawatan diri petugas", ONLINE, 1)],
     [("Pengantar LDP masa pandemi", "https://www.youtube.com/watch?v=ldp-covid19-1")], "approved_twice"),
    ("dapur-umum", "Dapur Umum", "bbppks-bandung", ["dapur-umum"], ["tagana", "tksk"],
     "Mendirikan dan menjalankan dapur umum lapangan dengan protokol kesehatan.",
     "Merencanakan kebutuhan bahan makanan pengungsi\nMenata dapur umum yang higienis\nMendistribusikan makanan "
     "siap saji dengan protokol kesehatan",
     [("Perencanaan logistik dapur umum", CLASS, 2), ("Sanitasi dan keamanan pangan", CLASS, 2),
      ("Simulasi dapur umum lapangan", PRACTICE, 4)], [], "approved"),
    ("pengelolaan-shelter", "Pengelolaan Shelter", "bbppks-bandung", ["shelter", "perlindungan-rentan"],
     ["tagana", "pekerja-sosial"],
     "Menata tempat pengungsian sementara yang aman, layak dan ramah kelompok rentan.",
     "Memilih dan menata lokasi shelter\nMengatur jaga jarak dan ruang isolasi\nMenyediakan ruang ramah anak dan "
     "perempuan",
     [("Standar minimum shelter", CLASS, 2), ("Tata letak dan jaga jarak", PRACTICE, 3),
      ("Ruang ramah anak dan perempuan", CLASS, 2)], [], "approved"),
    ("kaji-cepat", "Kaji Cepat", "poltekesos", ["kaji-cepat", "data-korban"], ["tagana", "tksk", "pekerja-sosial"],
     "Kaji cepat kebutuhan dan kerusakan dalam 72 jam pertama tanggap darurat.",
     "Menyusun rencana kaji cepat\nMengisi formulir kaji cepat\nMelaporkan hasil kaji cepat kepada posko",
     [("Konsep kaji cepat", CLASS, 1), ("Formulir dan alat kaji cepat", CLASS, 2),
      ("Praktik kaji cepat di lokasi simulasi", PRACTICE, 3)],
     [("Contoh pelaksanaan kaji cepat", "https://www.youtube.com/watch?v=kaji-cepat-1")], "approved"),
    ("dasar-jf-peksos", "Dasar Jabatan Fungsional Pekerja Sosial", "poltekesos",
     ["dasar-jf-peksos", "etika-profesi"], ["pekerja-sosial"],
     "Tugas, jenjang, angka kredit dan etika Jabatan Fungsional Pekerja Sosial.",
     "Menjelaskan tugas dan jenjang JF Pekerja Sosial\nMenghitung angka kredit\nMenerapkan kode etik profesi",
     [("Kebijakan JF Pekerja Sosial", CLASS, 2), ("Angka kredit dan penilaian kinerja", CLASS, 3),
      ("Kode etik pekerjaan sosial", ONLINE, 2)], [], "approved"),
    ("manajemen-kasus-dasar", "Manajemen Kasus Dasar", "poltekesos", ["asesmen-kasus", "rujukan-layanan"],
     ["pekerja-sosial", "pendamping-pkh"],
     "Tahapan manajemen kasus dari asesmen sampai terminasi.",
     "Melakukan asesmen kebutuhan klien\nMenyusun rencana intervensi\nMengoordinasikan rujukan layanan",
     [("Asesmen kebutuhan", CLASS, 3), ("Rencana intervensi", CLASS, 2), ("Studi kasus", PRACTICE, 3)], [],
     "approved"),
    ("perlindungan-kelompok-rentan", "Perlindungan Kelompok Rentan di Pengungsian", "bbppks-bandung",
     ["perlindungan-rentan"], ["pekerja-sosial", "tagana"],
     "Perlindungan anak, ibu hamil, lanjut usia dan penyandang disabilitas di pengungsian.",
     "Mengidentifikasi kelompok rentan\nMencegah kekerasan berbasis gender di pengungsian\nMenyediakan layanan "
     "yang aksesibel",
     [("Identifikasi kelompok rentan", CLASS, 2), ("Pencegahan kekerasan", CLASS, 2),
      ("Layanan aksesibel", PRACTICE, 2)], [], "in_review_overdue"),
    ("pendataan-korban", "Pendataan Korban Bencana", "poltekesos", ["data-korban"], ["tagana", "tksk"],
     "Mengumpulkan dan memverifikasi data korban dan pengungsi.",
     "Mengumpulkan data korban by name by address\nMemverifikasi dan memutakhirkan data",
     [("Format data korban", CLASS, 2), ("Praktik pendataan", PRACTICE, 2)], [], "changes_requested"),
    ("pengawasan-bansos", "Pengawasan Bantuan Sosial", "bbppks-bandung",
     ["verifikasi-penerima", "pengaduan-bansos"], ["pendamping-pkh", "penyuluh-sosial"],
     "Pengawasan penyaluran bantuan sosial dan penanganan pengaduan.",
     "", [("Prinsip pengawasan bansos", CLASS, 2)], [], "draft"),
]


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def load(*, rng=None, stdout=None, **_kwargs) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=["admin", "penyusun", "penelaah", "pengesah"])}
    if len(users) < 4:
        _say(stdout, "demo curriculum: demo users missing (run accounts demo first); skipped")
        return
    admin, author, reviewer, approver = (users[n] for n in ("admin", "penyusun", "penelaah", "pengesah"))
    institutions = {}
    for code, name, kind in INSTITUTIONS:
        institutions[code] = (Institution.objects.filter(code=code).first()
                              or institution_create(code=code, name=name, kind=kind, by=admin))
    for username, code, role in MEMBERS:
        if not InstitutionMember.objects.filter(user=users[username], institution=institutions[code],
                                                role=role).exists():
            institution_member_add(institution=institutions[code], user=users[username], role=role, by=admin)
    made = 0
    for (code, title, owner, competencies, positions, summary, objectives, sessions, videos,
         state) in MODULES:
        if Module.objects.filter(code=code).exists():
            continue
        module = module_create(data=ModuleInput(
            code=code, title=title, owner=institutions[owner], summary=summary,
            competencies=list(Competency.objects.filter(code__in=competencies)),
            target_positions=list(Position.objects.filter(code__in=positions)), review_days=14), by=author)
        version = module.versions.get()
        version_update(version=version, objectives=objectives, pass_mark=70,
                       change_note="Disusun bersama lembaga mitra dalam dua minggu (jalur cepat).", by=author)
        for topic, method, jp in sessions:
            session_add(version=version, topic=topic, method=method, jp=jp, by=author)
        for video_title, url in videos:
            material_add_link(version=version, title=video_title, url=url, by=author)
        if state == "draft":
            made += 1
            continue
        today = timezone.localdate()
        started = today - dt.timedelta(days=20) if state == "in_review_overdue" else today - dt.timedelta(days=3)
        review_round = version_submit_for_review(version=version, reviewers=[reviewer], by=author, today=started)
        if state == "in_review_overdue":
            made += 1
            continue
        assignment = review_round.assignments.get()
        if state == "changes_requested":
            review_decide(assignment=assignment, decision="changes_requested", by=reviewer,
                          comment="Tambahkan format data kelompok rentan (disabilitas, lansia, ibu hamil).")
            made += 1
            continue
        review_decide(assignment=assignment, decision="approved", comment="Sesuai standar kompetensi.", by=reviewer)
        version_approve(version=version, by=approver, note="Disahkan untuk pelatihan tanggap darurat.")
        if state == "approved_twice":
            draft = version_new_draft(module=module, by=author, change_note="Penyesuaian PPKM: praktik PFA daring "
                                                                           "ditambah, sesi rujukan diperbarui.")
            version_update(version=draft, objectives=objectives + "\nMenerapkan PFA daring dengan aman",
                           pass_mark=75, change_note=draft.change_note, by=author)
            session_add(version=draft, topic="Keamanan data dan etika layanan daring", method=ONLINE, jp=1,
                        by=author)
            second = version_submit_for_review(version=draft, reviewers=[reviewer], by=author)
            review_decide(assignment=second.assignments.get(), decision="approved", comment="Baik.", by=reviewer)
            version_approve(version=draft, by=approver, note="Versi 2 menggantikan versi 1.")
        made += 1
    _say(stdout, f"demo curriculum: {len(institutions)} institutions, {made} new modules")

"""Indonesian names for demo data (common given names and family/clan names across regions)."""

MALE = ["Agus", "Ahmad", "Andi", "Arif", "Bambang", "Budi", "Dedi", "Dimas", "Eko", "Fajar", "Hadi", "Hendra", "Irfan", "Joko", "Kurniawan", "Made", "Muhammad", "Nyoman", "Putu", "Rahmat", "Ridwan", "Rizki", "Slamet", "Sugeng", "Suharto", "Taufik", "Teguh", "Wahyu", "Wayan", "Yusuf", "Zainal", "Bayu", "Gilang", "Yohanes", "Petrus", "Markus", "Hasan", "Ilham", "Rudi", "Dodi", "Herman", "Lukman", "Marthen", "Samuel", "Frans", "Arief", "Bagus", "Danu", "Imam"]
FEMALE = ["Siti", "Sri", "Dewi", "Ayu", "Fitri", "Indah", "Lestari", "Maria", "Nurul", "Putri", "Rina", "Ratna", "Sari", "Wulan", "Yuni", "Endang", "Kartini", "Ani", "Dian", "Eka", "Fatimah", "Hana", "Intan", "Kadek", "Ketut", "Lina", "Mega", "Nanda", "Novi", "Retno", "Rosa", "Suci", "Tuti", "Wati", "Yohana", "Agnes", "Martha", "Theresia", "Aminah", "Khadijah", "Rahayu", "Sinta", "Desi", "Mila", "Ningsih", "Purnama", "Anisa", "Citra"]
FAMILY = ["Aminah", "Hidayat", "Kusuma", "Lestari", "Nugroho", "Pratama", "Purnomo", "Santoso", "Saputra", "Setiawan", "Siregar", "Simanjuntak", "Sitompul", "Sinaga", "Nasution", "Harahap", "Lubis", "Hutapea", "Wijaya", "Wibowo", "Rahman", "Hasibuan", "Tanjung", "Panjaitan", "Manurung", "Daulay", "Pangaribuan", "Ginting", "Tarigan", "Sembiring", "Matondang", "Rangkuti", "Syahputra", "Gunawan", "Susanto", "Suryadi", "Hartono", "Permana", "Ramadhan", "Fauzi", "Maulana", "Firmansyah", "Wulandari", "Handayani", "Rahayu", "Anggraini", "Safitri", "Utami", "Kurniasih", "Pattiasina", "Latuconsina", "Wenda", "Kogoya", "Mandacan", "Rumbiak", "Sondakh", "Rondonuwu", "Lumban", "Tobing", "Bangun", "Karo", "Dalimunthe", "Mahendra", "Adiputra", "Suparman", "Sudirman", "Kartika", "Pertiwi", "Yulianti", "Marpaung", "Silalahi", "Tampubolon", "Napitupulu", "Pohan"]
TITLES_PREFIX = ("", "", "", "", "", "", "Dra.", "Drs.", "Ir.", "Dr.", "H.", "Hj.")
TITLES_SUFFIX = ("", "", "", "S.Sos.", "S.Sos.", "S.Tr.Sos.", "M.Si.", "S.Psi.", "S.Kom.", "S.E.", "M.Kesos.",
                 "S.H.", "S.Kep.", "A.Md.")
UNITS = ("Bagian Umum", "Bidang Rehabilitasi Sosial", "Bidang Perlindungan dan Jaminan Sosial",
         "Bidang Pemberdayaan Sosial", "Seksi Penanganan Bencana", "Instalasi Rehabilitasi Medik",
         "Layanan Dukungan Psikososial", "Bidang Penanganan Fakir Miskin")
RANKS = ("Penata Muda (III/a)", "Penata Muda Tk. I (III/b)", "Penata (III/c)", "Penata Tk. I (III/d)",
         "Pembina (IV/a)", "Pengatur (II/c)", "Pengatur Tk. I (II/d)")

package dcc

// valuesets.go: the DCC value sets the kiosk prints, with display names in et, en, ru and az.

// ValueSet names one of the value sets of the eHealth Network "Value Sets for Digital
// COVID Certificates" (v1.14, §2); the value is the set's file name in
// eu-dcc-valuesets, as the schema's valueset-uri gives it.
//
// The tables below are the project's own: the codes and English display names follow
// release 2.12.0 of the value sets; the Estonian, Russian and Azerbaijani names are
// translations. Medicinal product and organisation names are proper names and stay as
// the value set writes them in every language.
//
// Not every set is complete:
//   - vaccine-medicinal-product, vaccine-mah-manf, vaccine-prophylaxis,
//     disease-agent-targeted, test-type and test-result hold every code of the release.
//   - country-2-codes holds the countries a kiosk profile is likely to print: the
//     EU/EEA states and Switzerland, the United Kingdom, Andorra, Monaco, San Marino
//     and the Holy See, the states of the former USSR, and Turkey, Iran, China,
//     Mongolia and the United States. Other codes are valid in a payload (the schema
//     does not restrict co to the value set) but have no display name here.
//   - test-manf (RAT devices, §2.8) is not held at all: it has hundreds of entries
//     that the JRC database changes every few weeks, so a table in code would be out
//     of date at once. The kiosk copies the device identifier from the registry.
//
// Codes marked "(deprecated)" in the value set are kept, so that older certificates
// still print, with the marker moved from the display name to Deprecated.
type ValueSet string

// The value sets the kiosk holds.
const (
	ValueSetDiseaseAgent        ValueSet = "disease-agent-targeted"    // §2.1, SNOMED CT
	ValueSetVaccineProphylaxis  ValueSet = "vaccine-prophylaxis"       // §2.2, SNOMED CT or ATC
	ValueSetVaccineProduct      ValueSet = "vaccine-medicinal-product" // §2.3, EU register numbers and names
	ValueSetVaccineManufacturer ValueSet = "vaccine-mah-manf"          // §2.4, EMA SPOR organisation ids and names
	ValueSetCountry             ValueSet = "country-2-codes"           // §2.6, ISO 3166-1 alpha-2
	ValueSetTestType            ValueSet = "test-type"                 // §2.7, LOINC
	ValueSetTestResult          ValueSet = "test-result"               // §2.9, SNOMED CT
)

// ValueSets returns every value set the kiosk holds, in the order of the value-set
// document.
func ValueSets() []ValueSet {
	return []ValueSet{
		ValueSetDiseaseAgent, ValueSetVaccineProphylaxis, ValueSetVaccineProduct,
		ValueSetVaccineManufacturer, ValueSetCountry, ValueSetTestType, ValueSetTestResult,
	}
}

// Languages returns the languages every value-set entry has a display name in.
func Languages() []string { return []string{"et", "en", "ru", "az"} }

// DisplayName returns the display name of code in set, in lang ("et", "en", "ru" or
// "az"). It reports false for an unknown set, code or language; it never falls back to
// another language, because every entry carries all four.
func DisplayName(set ValueSet, code, lang string) (string, bool) {
	e, ok := lookup(set, code)
	if !ok {
		return "", false
	}
	switch lang {
	case "et":
		return e.et, true
	case "en":
		return e.en, true
	case "ru":
		return e.ru, true
	case "az":
		return e.az, true
	}
	return "", false
}

// Known reports whether the kiosk's table of set holds code.
func Known(set ValueSet, code string) bool {
	_, ok := lookup(set, code)
	return ok
}

// Deprecated reports whether code is marked deprecated in set: such a code may be read
// from older certificates but is not to be written on new ones.
func Deprecated(set ValueSet, code string) bool {
	e, ok := lookup(set, code)
	return ok && e.deprecated
}

// Codes returns the codes the kiosk's table of set holds, in table order.
func Codes(set ValueSet) []string {
	entries := valueSetEntries(set)
	codes := make([]string, len(entries))
	for i, e := range entries {
		codes[i] = e.code
	}
	return codes
}

// valueSetEntry is one code of a value set with its display names.
type valueSetEntry struct {
	code           string
	en, et, ru, az string
	deprecated     bool
}

// properName is an entry whose display name is a proper name, the same in every language.
func properName(code, name string) valueSetEntry {
	return valueSetEntry{code: code, en: name, et: name, ru: name, az: name}
}

// deprecatedName is a properName marked deprecated.
func deprecatedName(code, name string) valueSetEntry {
	e := properName(code, name)
	e.deprecated = true
	return e
}

func lookup(set ValueSet, code string) (valueSetEntry, bool) {
	for _, e := range valueSetEntries(set) {
		if e.code == code {
			return e, true
		}
	}
	return valueSetEntry{}, false
}

// valueSetEntries returns a fresh copy of a set's table; the tables are built on each
// call so that no caller can change them.
func valueSetEntries(set ValueSet) []valueSetEntry {
	switch set {
	case ValueSetDiseaseAgent:
		return []valueSetEntry{
			{code: "840539006", en: "COVID-19", et: "COVID-19", ru: "COVID-19", az: "COVID-19"},
		}
	case ValueSetVaccineProphylaxis:
		return vaccineProphylaxes()
	case ValueSetVaccineProduct:
		return vaccineProducts()
	case ValueSetVaccineManufacturer:
		return vaccineManufacturers()
	case ValueSetCountry:
		return countries()
	case ValueSetTestType:
		return []valueSetEntry{
			{
				code: "LP6464-4",
				en:   "Nucleic acid amplification with probe detection",
				et:   "Nukleiinhappe amplifikatsioon sondiga tuvastamisega",
				ru:   "Амплификация нуклеиновых кислот с детекцией зондом",
				az:   "Zondla aşkarlama ilə nuklein turşusunun amplifikasiyası",
			},
			{
				code: "LP217198-3",
				en:   "Rapid immunoassay",
				et:   "Kiire immuunanalüüs",
				ru:   "Экспресс-иммуноанализ",
				az:   "Sürətli immunoanaliz",
			},
		}
	case ValueSetTestResult:
		return []valueSetEntry{
			{code: "260415000", en: "Not detected", et: "Ei tuvastatud", ru: "Не обнаружено", az: "Aşkar edilməyib"},
			{code: "260373001", en: "Detected", et: "Tuvastatud", ru: "Обнаружено", az: "Aşkar edilib"},
		}
	}
	return nil
}

// vaccineProphylaxes is value set vaccine-prophylaxis (§2.2).
func vaccineProphylaxes() []valueSetEntry {
	return []valueSetEntry{
		{
			code: "1119305005",
			en:   "SARS-CoV-2 antigen vaccine",
			et:   "SARS-CoV-2 antigeenvaktsiin",
			ru:   "Антигенная вакцина против SARS-CoV-2",
			az:   "SARS-CoV-2 antigen peyvəndi",
		},
		{
			code: "1119349007",
			en:   "SARS-CoV-2 mRNA vaccine",
			et:   "SARS-CoV-2 mRNA-vaktsiin",
			ru:   "мРНК-вакцина против SARS-CoV-2",
			az:   "SARS-CoV-2 mRNT peyvəndi",
		},
		{
			code:       "J07BX03",
			en:         "covid-19 vaccines",
			et:         "COVID-19 vaktsiinid",
			ru:         "Вакцины против COVID-19",
			az:         "COVID-19 peyvəndləri",
			deprecated: true,
		},
		{
			code: "1162643001",
			en:   "SARS-CoV-2 recombinant spike protein antigen vaccine",
			et:   "SARS-CoV-2 rekombinantse ogavalgu antigeeniga vaktsiin",
			ru:   "Вакцина на основе рекомбинантного S-белка SARS-CoV-2",
			az:   "SARS-CoV-2 rekombinant S-zülal antigen peyvəndi",
		},
		{
			code: "1157024006",
			en:   "Inactivated whole SARS-CoV-2 antigen vaccine",
			et:   "Inaktiveeritud täisviiruse SARS-CoV-2 antigeenvaktsiin",
			ru:   "Инактивированная цельновирионная вакцина против SARS-CoV-2",
			az:   "İnaktivləşdirilmiş bütöv virionlu SARS-CoV-2 antigen peyvəndi",
		},
		{
			code: "29061000087103",
			en:   "COVID-19 non-replicating viral vector vaccine",
			et:   "COVID-19 replikatsioonivõimetu viirusvektorvaktsiin",
			ru:   "Нереплицирующаяся векторная вакцина против COVID-19",
			az:   "COVID-19 əleyhinə replikasiya etməyən viral vektor peyvəndi",
		},
		{
			code: "28531000087107",
			en:   "COVID-19 vaccine",
			et:   "COVID-19 vaktsiin",
			ru:   "Вакцина против COVID-19",
			az:   "COVID-19 peyvəndi",
		},
		{
			code: "30141000087107",
			en:   "SARS-CoV-2 virus-like particle antigen vaccine",
			et:   "SARS-CoV-2 viirusesarnaste osakestega antigeenvaktsiin",
			ru:   "Вакцина на основе вирусоподобных частиц SARS-CoV-2",
			az:   "SARS-CoV-2 virusabənzər hissəcikli antigen peyvəndi",
		},
		{
			code: "1187593009",
			en:   "SARS-CoV-2 DNA plasmid encoding spike protein vaccine",
			et:   "SARS-CoV-2 ogavalku kodeeriva DNA-plasmiidiga vaktsiin",
			ru:   "ДНК-вакцина с плазмидой, кодирующей S-белок SARS-CoV-2",
			az:   "SARS-CoV-2 S-zülalını kodlayan DNT plazmidli peyvənd",
		},
	}
}

// vaccineProducts is value set vaccine-medicinal-product (§2.3): proper names only.
func vaccineProducts() []valueSetEntry {
	return []valueSetEntry{
		properName("EU/1/20/1528", "Comirnaty"),
		properName("EU/1/20/1507", "Spikevax"),
		properName("EU/1/21/1529", "Vaxzevria"),
		properName("EU/1/20/1525", "Jcovden"), // formerly COVID-19 Vaccine Janssen
		properName("CVnCoV", "CVnCoV"),
		deprecatedName("NVX-CoV2373", "NVX-CoV2373"), // now EU/1/21/1618
		properName("Sputnik-V", "Sputnik-V"),
		properName("Convidecia", "Convidecia"),
		properName("EpiVacCorona", "EpiVacCorona"),
		properName("BBIBP-CorV", "BBIBP-CorV"),
		deprecatedName("Inactivated-SARS-CoV-2-Vero-Cell", "Inactivated SARS-CoV-2 (Vero Cell)"), // now WIBP-CorV
		properName("CoronaVac", "CoronaVac"),
		properName("Covaxin", "Covaxin"),
		properName("Covishield", "Covishield"),
		properName("Covid-19-recombinant", "Covid-19 (recombinant)"),
		properName("R-COVI", "R-COVI"),
		properName("CoviVac", "CoviVac"),
		properName("Sputnik-Light", "Sputnik Light"),
		properName("Hayat-Vax", "Hayat-Vax"),
		properName("Abdala", "Abdala"),
		properName("WIBP-CorV", "WIBP-CorV"),
		properName("MVC-COV1901", "MVC COVID-19 vaccine"),
		properName("EU/1/21/1618", "Nuvaxovid"),
		properName("Covovax", "Covovax"),
		deprecatedName("Vidprevtyn", "Vidprevtyn"), // now EU/1/21/1580
		deprecatedName("VLA2001", "VLA2001"),       // now EU/1/21/1624
		properName("EpiVacCorona-N", "EpiVacCorona-N"),
		properName("Sputnik-M", "Sputnik M"),
		properName("Covid-19-adsorvida-inativada", "Vacina adsorvida covid-19 (inativada)"),
		properName("NVSI-06-08", "NVSI-06-08"),
		properName("YS-SC2-010", "YS-SC2-010"),
		properName("SCTV01C", "SCTV01C"),
		properName("Covifenz", "Covifenz"),
		properName("AZD2816", "AZD2816"),
		properName("Soberana-02", "Soberana 02"),
		properName("Soberana-Plus", "Soberana Plus"),
		properName("EU/1/21/1624", "COVID-19 Vaccine Valneva"),
		properName("EU/1/21/1580", "VidPrevtyn Beta"),
		properName("EU/1/22/1709", "Bimervax"),
	}
}

// vaccineManufacturers is value set vaccine-mah-manf (§2.4): proper names only.
func vaccineManufacturers() []valueSetEntry {
	return []valueSetEntry{
		properName("ORG-100001699", "AstraZeneca AB"),
		properName("ORG-100030215", "Biontech Manufacturing GmbH"),
		properName("ORG-100001417", "Janssen-Cilag International"),
		properName("ORG-100031184", "Moderna Biotech Spain S.L."),
		properName("ORG-100006270", "Curevac AG"),
		properName("ORG-100013793", "CanSino Biologics"),
		properName("ORG-100020693", "China Sinopharm International Corp. - Beijing location"),
		properName("ORG-100010771", "Sinopharm Weiqida Europe Pharmaceutical s.r.o. - Prague location"),
		properName("ORG-100024420", "Sinopharm Zhijun (Shenzhen) Pharmaceutical Co. Ltd. - Shenzhen location"),
		properName("ORG-100032020", "Novavax CZ a.s."),
		properName("Gamaleya-Research-Institute", "Gamaleya Research Institute"),
		properName("Vector-Institute", "Vector Institute"),
		properName("Sinovac-Biotech", "Sinovac Biotech"),
		properName("Bharat-Biotech", "Bharat Biotech"),
		properName("ORG-100001981", "Serum Institute Of India Private Limited"),
		properName("Fiocruz", "Fiocruz"),
		properName("ORG-100007893", "R-Pharm CJSC"),
		properName("Chumakov-Federal-Scientific-Center", "Chumakov Federal Scientific Center for Research and Development of Immune-and-Biological Products"),
		properName("ORG-100023050", "Gulf Pharmaceutical Industries"),
		properName("CIGB", "Center for Genetic Engineering and Biotechnology"),
		properName("Sinopharm-WIBP", "Sinopharm - Wuhan Institute of Biological Products"),
		properName("ORG-100033914", "Medigen Vaccine Biologics Corporation"),
		properName("ORG-100000788", "Sanofi Pasteur"),
		properName("ORG-100036422", "Valneva France"),
		properName("Instituto-Butantan", "Instituto Butantan"),
		properName("NVSI", "National Vaccine and Serum Institute, China"),
		properName("Yisheng-Biopharma", "Yisheng Biopharma"),
		properName("ORG-100026614", "Sinocelltech Ltd."),
		properName("ORG-100008549", "Medicago Inc."),
		properName("Finlay-Institute", "Finlay Institute of Vaccines"),
		properName("ORG-100036914", "Hipra Human Health S.L."),
	}
}

// countries is the part of value set country-2-codes (§2.6) the kiosk prints; the
// English names are the value set's (ISO 3166-1 short names as of 2019).
func countries() []valueSetEntry {
	return []valueSetEntry{
		// EU member states
		{code: "AT", en: "Austria", et: "Austria", ru: "Австрия", az: "Avstriya"},
		{code: "BE", en: "Belgium", et: "Belgia", ru: "Бельгия", az: "Belçika"},
		{code: "BG", en: "Bulgaria", et: "Bulgaaria", ru: "Болгария", az: "Bolqarıstan"},
		{code: "HR", en: "Croatia", et: "Horvaatia", ru: "Хорватия", az: "Xorvatiya"},
		{code: "CY", en: "Cyprus", et: "Küpros", ru: "Кипр", az: "Kipr"},
		{code: "CZ", en: "Czechia", et: "Tšehhi", ru: "Чехия", az: "Çexiya"},
		{code: "DK", en: "Denmark", et: "Taani", ru: "Дания", az: "Danimarka"},
		{code: "EE", en: "Estonia", et: "Eesti", ru: "Эстония", az: "Estoniya"},
		{code: "FI", en: "Finland", et: "Soome", ru: "Финляндия", az: "Finlandiya"},
		{code: "FR", en: "France", et: "Prantsusmaa", ru: "Франция", az: "Fransa"},
		{code: "DE", en: "Germany", et: "Saksamaa", ru: "Германия", az: "Almaniya"},
		{code: "GR", en: "Greece", et: "Kreeka", ru: "Греция", az: "Yunanıstan"},
		{code: "HU", en: "Hungary", et: "Ungari", ru: "Венгрия", az: "Macarıstan"},
		{code: "IE", en: "Ireland", et: "Iirimaa", ru: "Ирландия", az: "İrlandiya"},
		{code: "IT", en: "Italy", et: "Itaalia", ru: "Италия", az: "İtaliya"},
		{code: "LV", en: "Latvia", et: "Läti", ru: "Латвия", az: "Latviya"},
		{code: "LT", en: "Lithuania", et: "Leedu", ru: "Литва", az: "Litva"},
		{code: "LU", en: "Luxembourg", et: "Luksemburg", ru: "Люксембург", az: "Lüksemburq"},
		{code: "MT", en: "Malta", et: "Malta", ru: "Мальта", az: "Malta"},
		{code: "NL", en: "Netherlands", et: "Madalmaad", ru: "Нидерланды", az: "Niderland"},
		{code: "PL", en: "Poland", et: "Poola", ru: "Польша", az: "Polşa"},
		{code: "PT", en: "Portugal", et: "Portugal", ru: "Португалия", az: "Portuqaliya"},
		{code: "RO", en: "Romania", et: "Rumeenia", ru: "Румыния", az: "Rumıniya"},
		{code: "SK", en: "Slovakia", et: "Slovakkia", ru: "Словакия", az: "Slovakiya"},
		{code: "SI", en: "Slovenia", et: "Sloveenia", ru: "Словения", az: "Sloveniya"},
		{code: "ES", en: "Spain", et: "Hispaania", ru: "Испания", az: "İspaniya"},
		{code: "SE", en: "Sweden", et: "Rootsi", ru: "Швеция", az: "İsveç"},
		// EEA, Switzerland, the United Kingdom and the European microstates
		{code: "IS", en: "Iceland", et: "Island", ru: "Исландия", az: "İslandiya"},
		{code: "LI", en: "Liechtenstein", et: "Liechtenstein", ru: "Лихтенштейн", az: "Lixtenşteyn"},
		{code: "NO", en: "Norway", et: "Norra", ru: "Норвегия", az: "Norveç"},
		{code: "CH", en: "Switzerland", et: "Šveits", ru: "Швейцария", az: "İsveçrə"},
		{
			code: "GB",
			en:   "United Kingdom of Great Britain and Northern Ireland",
			et:   "Suurbritannia ja Põhja-Iiri Ühendkuningriik",
			ru:   "Соединённое Королевство Великобритании и Северной Ирландии",
			az:   "Böyük Britaniya və Şimali İrlandiya Birləşmiş Krallığı",
		},
		{code: "AD", en: "Andorra", et: "Andorra", ru: "Андорра", az: "Andorra"},
		{code: "MC", en: "Monaco", et: "Monaco", ru: "Монако", az: "Monako"},
		{code: "SM", en: "San Marino", et: "San Marino", ru: "Сан-Марино", az: "San-Marino"},
		{code: "VA", en: "Holy See", et: "Püha Tool", ru: "Святой Престол", az: "Müqəddəs Taxt-Tac"},
		// states of the former USSR outside the EU
		{code: "RU", en: "Russian Federation", et: "Venemaa Föderatsioon", ru: "Российская Федерация", az: "Rusiya Federasiyası"},
		{code: "BY", en: "Belarus", et: "Valgevene", ru: "Беларусь", az: "Belarus"},
		{code: "UA", en: "Ukraine", et: "Ukraina", ru: "Украина", az: "Ukrayna"},
		{code: "MD", en: "Moldova, Republic of", et: "Moldova Vabariik", ru: "Республика Молдова", az: "Moldova Respublikası"},
		{code: "GE", en: "Georgia", et: "Gruusia", ru: "Грузия", az: "Gürcüstan"},
		{code: "AM", en: "Armenia", et: "Armeenia", ru: "Армения", az: "Ermənistan"},
		{code: "AZ", en: "Azerbaijan", et: "Aserbaidžaan", ru: "Азербайджан", az: "Azərbaycan"},
		{code: "KZ", en: "Kazakhstan", et: "Kasahstan", ru: "Казахстан", az: "Qazaxıstan"},
		{code: "KG", en: "Kyrgyzstan", et: "Kõrgõzstan", ru: "Киргизия", az: "Qırğızıstan"},
		{code: "TJ", en: "Tajikistan", et: "Tadžikistan", ru: "Таджикистан", az: "Tacikistan"},
		{code: "UZ", en: "Uzbekistan", et: "Usbekistan", ru: "Узбекистан", az: "Özbəkistan"},
		{code: "TM", en: "Turkmenistan", et: "Türkmenistan", ru: "Туркменистан", az: "Türkmənistan"},
		// other neighbours of the profiles' countries
		{code: "TR", en: "Turkey", et: "Türgi", ru: "Турция", az: "Türkiyə"},
		{code: "IR", en: "Iran, Islamic Republic of", et: "Iraani Islamivabariik", ru: "Исламская Республика Иран", az: "İran İslam Respublikası"},
		{code: "CN", en: "China", et: "Hiina", ru: "Китай", az: "Çin"},
		{code: "MN", en: "Mongolia", et: "Mongoolia", ru: "Монголия", az: "Monqolustan"},
		{code: "US", en: "United States of America", et: "Ameerika Ühendriigid", ru: "Соединённые Штаты Америки", az: "Amerika Birləşmiş Ştatları"},
	}
}

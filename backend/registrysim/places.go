package registrysim

// places.go: the vaccination centres, laboratories and codings the demo records name.

import "time"

// Identifier systems (DESIGN.md §3a). They equal the registry package's; a test checks it.
const (
	systemEEPersonalCode = "urn:ee:personal-code"
	systemSNILS          = "urn:ru:snils"
	systemFIN            = "urn:az:fin"
)

// Code systems of the codings the records carry.
const (
	systemEURegister    = "https://ec.europa.eu/health/documents/community-register/html/"
	systemVaccineValues = "https://id.uvci.eu/valuesets/vaccine-medicinal-product"
	systemLOINC         = "http://loinc.org"
	systemSNOMED        = "http://snomed.info/sct"
	systemICD10         = "http://hl7.org/fhir/sid/icd-10"
	systemUCUM          = "http://unitsofmeasure.org"
	systemObsCategory   = "http://terminology.hl7.org/CodeSystem/observation-category"
	systemClinical      = "http://terminology.hl7.org/CodeSystem/condition-clinical"
	systemVerification  = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
	systemCondCategory  = "http://terminology.hl7.org/CodeSystem/condition-category"
)

// ICD-10 codes of COVID-19.
const (
	icdVirusIdentified = "U07.1"
	icdClinical        = "U07.2"
)

// snomedCOVID19 is the disease a vaccine targets (SNOMED CT 840539006, COVID-19).
const snomedCOVID19 = "840539006"

// vaccine is a product's code: the EU register number for products authorised in the
// EU, else the code of the DCC value set vaccine-medicinal-product.
type vaccine string

const (
	comirnaty vaccine = "EU/1/20/1528"
	spikevax  vaccine = "EU/1/20/1507"
	vaxzevria vaccine = "EU/1/21/1529"
	jcovden   vaccine = "EU/1/20/1525"
	sputnikV  vaccine = "Sputnik-V"
	coronaVac vaccine = "CoronaVac"
	bbibpCorV vaccine = "BBIBP-CorV"
)

func (v vaccine) system() string {
	switch v {
	case comirnaty, spikevax, vaxzevria, jcovden:
		return systemEURegister
	}
	return systemVaccineValues
}

func (v vaccine) display() string {
	switch v {
	case comirnaty:
		return "Comirnaty"
	case spikevax:
		return "Spikevax"
	case vaxzevria:
		return "Vaxzevria"
	case jcovden:
		return "Jcovden"
	case sputnikV:
		return "Sputnik V"
	}
	return string(v)
}

// testKind is what a laboratory test looks for, and how.
type testKind int

const (
	pcr           testKind = iota // SARS-CoV-2 RNA by PCR (NAAT)
	rapidAntigen                  // antigen, rapid immunoassay
	antibodyIgG                   // antibodies (IgG), qualitative
	antibodyELISA                 // antibodies by immunoassay (ELISA, IgM), quantitative
)

// loinc returns the test's LOINC code and the text a person reads.
func (k testKind) loinc() (code, text string) {
	switch k {
	case rapidAntigen:
		return "94558-4", "SARS-CoV-2 antigen, rapid test"
	case antibodyIgG:
		return "94504-8", "SARS-CoV-2 antibodies (IgG)"
	case antibodyELISA:
		return "94762-2", "SARS-CoV-2 antibodies (IgM), ELISA"
	}
	return "94309-2", "SARS-CoV-2 RNA, PCR"
}

// Laboratories, as the Observations display them.
const (
	labIdaTallinn = "Ida-Tallinna Keskhaigla labor"
	labSynlab     = "Synlab Eesti"
	labTartu      = "Tartu Ülikooli Kliinikumi ühendlabor"
	labGKB52      = "КДЛ ГБУЗ «ГКБ № 52 ДЗМ»"
	labInvitro    = "ООО «ИНВИТРО»"
	labGemotest   = "ООО «Лаборатория Гемотест»"
	labBaku       = "Respublika Klinik Xəstəxanasının laboratoriyası"
)

// organization is a vaccination centre. state is the region (used in RU to tell the
// city's own facilities from another region's).
type organization struct {
	id, name                               string
	line, city, state, postalCode, country string
}

// organizations are the vaccination centres the doses name, by id.
func organizations() map[string]organization {
	list := []organization{
		{id: "org-tkh", name: "Tallinna Kiirabi vaktsineerimiskeskus",
			line: "Karu 14", city: "Tallinn", postalCode: "10120", country: "EE"},
		{id: "org-kliinikum", name: "Tartu Ülikooli Kliinikum",
			line: "L. Puusepa 8", city: "Tartu", postalCode: "50406", country: "EE"},
		{id: "org-parnu", name: "Pärnu Haigla vaktsineerimiskabinet",
			line: "Ristiku 1", city: "Pärnu", postalCode: "80010", country: "EE"},
		{id: "org-gp220", name: "ГБУЗ «Городская поликлиника № 220 ДЗМ»",
			line: "ул. Народного Ополчения, д. 33", city: "Москва", state: "Москва", postalCode: "123423", country: "RU"},
		{id: "org-gp134", name: "ГБУЗ «Городская поликлиника № 134 ДЗМ»",
			line: "ул. Академика Анохина, д. 8", city: "Москва", state: "Москва", postalCode: "119602", country: "RU"},
		{id: "org-tver", name: "ГБУЗ «Областная клиническая больница», пункт вакцинации",
			line: "пр-т Петра Великого, д. 21", city: "Тверь", state: "Тверская область", postalCode: "170036", country: "RU"},
		{id: "org-berlin", name: "Impfzentrum Messe Berlin",
			line: "Messedamm 22", city: "Berlin", postalCode: "14055", country: "DE"},
		{id: "org-baku-5", name: "Bakı şəhəri 5 saylı poliklinika",
			line: "Nizami küçəsi 72", city: "Bakı", postalCode: "AZ1010", country: "AZ"},
	}
	byID := make(map[string]organization, len(list))
	for _, o := range list {
		byID[o.id] = o
	}
	return byID
}

// zone is the time zone a profile's laboratories write their sample times in. The
// instant is what counts; the offset only makes the records look as a real one would.
func zone(profile string) *time.Location {
	switch profile {
	case "EE":
		return time.FixedZone("EET", 2*60*60)
	case "AZ":
		return time.FixedZone("AZT", 4*60*60)
	}
	return time.FixedZone("MSK", 3*60*60)
}

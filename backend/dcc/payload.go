package dcc

// The health certificate payload of the EU Digital COVID Certificate, schema 1.3.x
// (eu-dcc-schema, DCC.schema.json). Field names follow the schema's short keys; the
// same struct tags serve JSON and CBOR (fxamacker/cbor falls back to the json tag).

// SchemaVersion is the payload schema version the kiosk writes.
const SchemaVersion = "1.3.0"

// DiseaseCOVID19 is the SNOMED CT code for COVID-19 (value set disease-agent-targeted).
const DiseaseCOVID19 = "840539006"

// Kind names the three certificate types of the DCC.
type Kind string

// The certificate kinds, as the command line and the UI name them.
const (
	KindVaccination Kind = "vaccination"
	KindTest        Kind = "test"
	KindRecovery    Kind = "recovery"
)

// HealthCertificate is the hcert payload: one person, exactly one entry in one of
// the three groups.
type HealthCertificate struct {
	Version      string        `json:"ver"`
	Name         Name          `json:"nam"`
	DateOfBirth  string        `json:"dob"` // YYYY, YYYY-MM, YYYY-MM-DD or empty
	Vaccinations []Vaccination `json:"v,omitempty"`
	Tests        []Test        `json:"t,omitempty"`
	Recoveries   []Recovery    `json:"r,omitempty"`
}

// Name holds the surname and forename as written (fn, gn) and transliterated to the
// ICAO 9303 machine-readable form (fnt, gnt).
type Name struct {
	FamilyName             string `json:"fn,omitempty"`
	FamilyNameStandardised string `json:"fnt"`
	GivenName              string `json:"gn,omitempty"`
	GivenNameStandardised  string `json:"gnt,omitempty"`
}

// Vaccination is one entry of the v group.
type Vaccination struct {
	Target       string `json:"tg"` // disease-agent-targeted
	Prophylaxis  string `json:"vp"` // vaccine-prophylaxis
	Product      string `json:"mp"` // vaccine-medicinal-product
	Manufacturer string `json:"ma"` // vaccine-mah-manf
	DoseNumber   int    `json:"dn"`
	TotalDoses   int    `json:"sd"`
	Date         string `json:"dt"` // YYYY-MM-DD
	Country      string `json:"co"` // country-2-codes
	Issuer       string `json:"is"`
	ID           string `json:"ci"` // UVCI
}

// Test is one entry of the t group.
type Test struct {
	Target    string `json:"tg"`
	Type      string `json:"tt"`           // test-type (LOINC)
	Name      string `json:"nm,omitempty"` // NAA test name
	Device    string `json:"ma,omitempty"` // RAT device identifier
	SampledAt string `json:"sc"`           // RFC 3339 date-time
	Result    string `json:"tr"`           // test-result (SNOMED CT)
	Centre    string `json:"tc,omitempty"`
	Country   string `json:"co"`
	Issuer    string `json:"is"`
	ID        string `json:"ci"`
}

// Recovery is one entry of the r group.
type Recovery struct {
	Target        string `json:"tg"`
	FirstPositive string `json:"fr"` // YYYY-MM-DD of the first positive NAAT
	Country       string `json:"co"`
	Issuer        string `json:"is"`
	ValidFrom     string `json:"df"`
	ValidUntil    string `json:"du"`
	ID            string `json:"ci"`
}

// Kind reports which group the certificate carries; the empty Kind when it carries
// none or more than one.
func (hc *HealthCertificate) Kind() Kind {
	var k Kind
	n := 0
	if len(hc.Vaccinations) > 0 {
		k, n = KindVaccination, n+1
	}
	if len(hc.Tests) > 0 {
		k, n = KindTest, n+1
	}
	if len(hc.Recoveries) > 0 {
		k, n = KindRecovery, n+1
	}
	if n != 1 {
		return ""
	}
	return k
}

// CertificateID returns the UVCI of the certificate's single entry.
func (hc *HealthCertificate) CertificateID() string {
	switch hc.Kind() {
	case KindVaccination:
		return hc.Vaccinations[0].ID
	case KindTest:
		return hc.Tests[0].ID
	case KindRecovery:
		return hc.Recoveries[0].ID
	}
	return ""
}

package registrysim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"certkiosk/backend/registry"
)

// testStart is the moment the test registries are seeded for.
var testStart = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// testOrigin is the scheme and host the test requests name; absolute links must use it.
const testOrigin = "http://kiosk.test:8765"

func openTest(t *testing.T, start time.Time) *Registry {
	t.Helper()
	r, err := Open(filepath.Join(t.TempDir(), FileName), start)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// get asks h for target, a path with its query or an absolute URL.
func get(t *testing.T, h http.Handler, target string) *httptest.ResponseRecorder {
	t.Helper()
	if !strings.HasPrefix(target, "http") {
		target = testOrigin + target
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
	return w
}

type testBundle struct {
	ResourceType string `json:"resourceType"`
	Type         string `json:"type"`
	Total        int    `json:"total"`
	Link         []struct {
		Relation string `json:"relation"`
		URL      string `json:"url"`
	} `json:"link"`
	Entry []struct {
		FullURL  string          `json:"fullUrl"`
		Resource json.RawMessage `json:"resource"`
		Search   struct {
			Mode string `json:"mode"`
		} `json:"search"`
	} `json:"entry"`
}

func (b testBundle) next() string {
	for _, l := range b.Link {
		if l.Relation == "next" {
			return l.URL
		}
	}
	return ""
}

func decodeBundle(t *testing.T, w *httptest.ResponseRecorder) testBundle {
	t.Helper()
	if w.Code != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", w.Code, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); ct != fhirJSON {
		t.Fatalf("Content-Type %q, want %q", ct, fhirJSON)
	}
	var b testBundle
	if err := json.Unmarshal(w.Body.Bytes(), &b); err != nil {
		t.Fatalf("answer is not a Bundle: %v\n%s", err, w.Body)
	}
	if b.ResourceType != "Bundle" || b.Type != "searchset" {
		t.Fatalf("answer is a %s %s, want a searchset Bundle", b.Type, b.ResourceType)
	}
	return b
}

// searchAll runs a search and follows its next links, checking each is absolute and on
// the test origin; it returns every entry of every page as bundle JSON entries.
func searchAll(t *testing.T, h http.Handler, target string) (entries []json.RawMessage, total, pages int) {
	t.Helper()
	for target != "" {
		pages++
		if pages > 50 {
			t.Fatalf("more than 50 pages from %s", target)
		}
		b := decodeBundle(t, get(t, h, target))
		total = b.Total
		for _, e := range b.Entry {
			raw, _ := json.Marshal(e)
			entries = append(entries, raw)
		}
		target = b.next()
		if target != "" && !strings.HasPrefix(target, testOrigin+"/") {
			t.Fatalf("next link %q is not on %s", target, testOrigin)
		}
	}
	return entries, total, pages
}

// fetchRecord asks registry base (/fhir or /federal/fhir) for a person the way the
// kiosk's client does, with pages of count, and reads the searches' entries as one
// bundle with registry.ParseBundle.
func fetchRecord(t *testing.T, h http.Handler, base string, p Person, count int) (*registry.Record, []json.RawMessage) {
	t.Helper()
	q := url.Values{"identifier": {p.System + "|" + p.Value}}
	pt, total, _ := searchAll(t, h, base+"/Patient?"+q.Encode())
	if total != 1 || len(pt) != 1 {
		t.Fatalf("%s: Patient search found %d (%d entries), want 1", p.Value, total, len(pt))
	}
	ref := url.QueryEscape("Patient/" + p.PatientID)
	c := "&_count=" + strconv.Itoa(count)
	entries := pt
	for _, target := range []string{
		base + "/Immunization?patient=" + ref + "&_include=Immunization:performer" + c,
		base + "/Observation?subject=" + ref + c,
		base + "/Condition?subject=" + ref + c,
	} {
		e, _, _ := searchAll(t, h, target)
		entries = append(entries, e...)
	}
	raw, _ := json.Marshal(map[string]any{"resourceType": "Bundle", "type": "searchset", "entry": entries})
	rec, err := registry.ParseBundle(raw)
	if err != nil {
		t.Fatalf("%s: ParseBundle of the searches' entries: %v", p.Value, err)
	}
	return rec, entries
}

func basePath(reg string) string {
	if reg == Federal {
		return "/federal/fhir"
	}
	return "/fhir"
}

func person(t *testing.T, value string) Person {
	t.Helper()
	for _, p := range People() {
		if p.Value == value {
			return p
		}
	}
	t.Fatalf("no person %q in People()", value)
	return Person{}
}

func TestEveryPersonIsInTheirRegistryOnly(t *testing.T) {
	h := openTest(t, testStart).Handler()
	for _, p := range People() {
		t.Run(p.Value, func(t *testing.T) {
			for _, reg := range []string{Local, Federal} {
				q := url.Values{"identifier": {p.System + "|" + p.Value}}
				b := decodeBundle(t, get(t, h, basePath(reg)+"/Patient?"+q.Encode()))
				want := 0
				if reg == p.Registry {
					want = 1
				}
				if b.Total != want || len(b.Entry) != want {
					t.Fatalf("%s Patient?identifier=%s: total %d, %d entries; want %d", reg, q.Get("identifier"), b.Total, len(b.Entry), want)
				}
				if want == 0 {
					continue
				}
				var pt struct {
					ID         string `json:"id"`
					Identifier []struct {
						System, Value string
					} `json:"identifier"`
					Name []struct {
						Family string   `json:"family"`
						Given  []string `json:"given"`
					} `json:"name"`
					BirthDate string `json:"birthDate"`
				}
				if err := json.Unmarshal(b.Entry[0].Resource, &pt); err != nil {
					t.Fatal(err)
				}
				name := strings.Join(append(slices.Clone(pt.Name[0].Given), pt.Name[0].Family), " ")
				stored := normalizeIdentifier(p.System, p.Value)
				switch {
				case pt.ID != p.PatientID:
					t.Errorf("Patient id %q, want %q", pt.ID, p.PatientID)
				case name != p.Name:
					t.Errorf("name %q, want %q", name, p.Name)
				case pt.BirthDate != p.BirthDate:
					t.Errorf("birthDate %q, want %q", pt.BirthDate, p.BirthDate)
				case len(pt.Identifier) != 1 || pt.Identifier[0].System != p.System || pt.Identifier[0].Value != stored:
					t.Errorf("identifier %+v, want %s|%s", pt.Identifier, p.System, stored)
				case b.Entry[0].FullURL != testOrigin+basePath(reg)+"/Patient/"+p.PatientID:
					t.Errorf("fullUrl %q", b.Entry[0].FullURL)
				case b.Entry[0].Search.Mode != "match":
					t.Errorf("search.mode %q, want match", b.Entry[0].Search.Mode)
				}
			}
		})
	}
}

func TestIdentifierForms(t *testing.T) {
	h := openTest(t, testStart).Handler()
	tests := []struct {
		identifier string
		found      bool
	}{
		{"urn:ru:snils|112-233-445 95", true},
		{"urn:ru:snils|11223344595", true},
		{"urn:ru:snils|112 233 445 95", true},
		{"11223344595", true}, // a bare value matches any system
		{"urn:ee:personal-code|11223344595", false},
		{"urn:az:fin|5ZJ7K2M", true},
		{"urn:az:fin|5zj7k2m", false}, // stored upper-case, as the conventions say
		{"urn:ee:personal-code|37605030299", false},
	}
	for _, tt := range tests {
		b := decodeBundle(t, get(t, h, "/fhir/Patient?identifier="+url.QueryEscape(tt.identifier)))
		if (b.Total == 1) != tt.found {
			t.Errorf("Patient?identifier=%s: total %d, want found=%v", tt.identifier, b.Total, tt.found)
		}
	}
}

// TestRecordsParse fetches every person's record with pages of one resource, the
// hardest paging there is, and reads it with the kiosk's own bundle parser.
func TestRecordsParse(t *testing.T) {
	h := openTest(t, testStart).Handler()
	for _, p := range People() {
		if p.Registry == "" {
			continue
		}
		t.Run(p.Value, func(t *testing.T) {
			paged, _ := fetchRecord(t, h, basePath(p.Registry), p, 1)
			whole, _ := fetchRecord(t, h, basePath(p.Registry), p, 20)
			if len(paged.Immunizations) != len(whole.Immunizations) ||
				len(paged.Observations) != len(whole.Observations) ||
				len(paged.Conditions) != len(whole.Conditions) {
				t.Errorf("pages of 1 give %d/%d/%d resources, one page %d/%d/%d",
					len(paged.Immunizations), len(paged.Observations), len(paged.Conditions),
					len(whole.Immunizations), len(whole.Observations), len(whole.Conditions))
			}
			if len(whole.Immunizations)+len(whole.Observations)+len(whole.Conditions) == 0 {
				t.Errorf("the record is empty")
			}
			for _, im := range whole.Immunizations {
				if im.Status != "completed" || im.Performer == "" || im.Country == "" || im.LotNumber == "" || im.Unconfirmed {
					t.Errorf("Immunization %s = %+v, want completed, from a named centre in a country, with a lot", im.ID, im)
				}
				if im.Date.After(testStart) {
					t.Errorf("Immunization %s is dated %v, after the start", im.ID, im.Date)
				}
			}
			for _, o := range whole.Observations {
				if o.Status != "final" || o.Performer == "" || o.Code.System != registry.SystemLOINC {
					t.Errorf("Observation %s = %+v, want a final LOINC-coded result from a named laboratory", o.ID, o)
				}
			}
		})
	}
}

// day is the date of the moment ago before testStart, as ParseBundle reads a FHIR date.
func day(ago time.Duration) time.Time {
	return testStart.Add(-ago).UTC().Truncate(24 * time.Hour)
}

func TestRecordContents(t *testing.T) {
	h := openTest(t, testStart).Handler()
	rec := func(value string) *registry.Record {
		p := person(t, value)
		r, _ := fetchRecord(t, h, basePath(p.Registry), p, 20)
		return r
	}

	t.Run("Mari Tamm: Comirnaty 1/2 and 2/2", func(t *testing.T) {
		r := rec("46003150224")
		if len(r.Immunizations) != 2 {
			t.Fatalf("%d doses, want 2", len(r.Immunizations))
		}
		for i, want := range []struct {
			date     time.Time
			dose, of int
		}{{day(days(120)), 1, 2}, {day(days(99)), 2, 2}} {
			im := r.Immunizations[i]
			if !im.Date.Equal(want.date) || im.DoseNumber != want.dose || im.SeriesDoses != want.of ||
				im.Vaccine != (registry.Coding{System: registry.SystemEURegister, Code: "EU/1/20/1528"}) ||
				im.Performer != "Tallinna Kiirabi vaktsineerimiskeskus" || im.Country != "EE" {
				t.Errorf("dose %d = %+v, want %d/%d on %v, Comirnaty, at Tallinna Kiirabi (EE)", i+1, im, want.dose, want.of, want.date)
			}
		}
	})
	t.Run("Jüri Õunapuu: Jcovden 1/1", func(t *testing.T) {
		r := rec("34811020330")
		if len(r.Immunizations) != 1 || r.Immunizations[0].Vaccine.Code != "EU/1/20/1525" ||
			r.Immunizations[0].DoseNumber != 1 || r.Immunizations[0].SeriesDoses != 1 {
			t.Errorf("doses %+v, want Jcovden 1/1", r.Immunizations)
		}
	})
	t.Run("Олег Кузнецов: recovered", func(t *testing.T) {
		r := rec("37506070448")
		if len(r.Observations) != 1 || len(r.Conditions) != 1 {
			t.Fatalf("%d tests, %d conditions; want 1 and 1", len(r.Observations), len(r.Conditions))
		}
		o, c := r.Observations[0], r.Conditions[0]
		if !o.Effective.Equal(testStart.Add(-days(30))) || o.Result.Code != registry.SNOMEDDetected || o.Code.Code != registry.LOINCNAAT {
			t.Errorf("test %+v, want a positive PCR 30 days before the start", o)
		}
		if c.Code.Code != registry.ICD10VirusIdentified || !c.Onset.Equal(day(days(30))) ||
			c.Abatement == nil || !c.Abatement.Equal(day(days(16))) || !slices.Equal(c.Evidence, []string{o.ID}) {
			t.Errorf("condition %+v, want U07.1 from 30 to 16 days ago resting on %s", c, o.ID)
		}
	})
	t.Run("Liis Kask: negative PCR 24 h ago", func(t *testing.T) {
		r := rec("49001010557")
		if len(r.Observations) != 1 {
			t.Fatalf("%d tests, want 1", len(r.Observations))
		}
		o := r.Observations[0]
		if !o.Effective.Equal(testStart.Add(-24*time.Hour)) || o.Result.Code != registry.SNOMEDNotDetected || o.Performer != "Synlab Eesti" {
			t.Errorf("test %+v, want a negative PCR sampled at %v by Synlab Eesti", o, testStart.Add(-24*time.Hour))
		}
	})
	t.Run("Kadri Põld: ill now", func(t *testing.T) {
		r := rec("49912310774")
		if len(r.Conditions) != 1 || r.Conditions[0].Abatement != nil {
			t.Errorf("conditions %+v, want one without abatement", r.Conditions)
		}
	})
	t.Run("Mihkel Oja: recovered long ago, one dose", func(t *testing.T) {
		r := rec("37001010885")
		if len(r.Immunizations) != 1 || r.Immunizations[0].SeriesDoses != 1 || !r.Immunizations[0].Date.Equal(day(days(20))) {
			t.Errorf("doses %+v, want one Comirnaty 1/1 20 days ago", r.Immunizations)
		}
		if len(r.Conditions) != 1 || !r.Conditions[0].Onset.Equal(day(days(200))) || r.Conditions[0].Abatement == nil {
			t.Errorf("conditions %+v, want U07.1 200 days ago, recovered", r.Conditions)
		}
	})
	t.Run("Дмитрий Морозов: ill after a first component", func(t *testing.T) {
		r := rec("556-677-889 73")
		if len(r.Immunizations) != 1 || r.Immunizations[0].Vaccine.Code != "Sputnik-V" || r.Immunizations[0].DoseNumber != 1 {
			t.Errorf("doses %+v, want Sputnik V component 1", r.Immunizations)
		}
		if len(r.Conditions) != 1 || r.Conditions[0].Abatement != nil || !r.Conditions[0].Onset.Equal(day(days(3))) {
			t.Errorf("conditions %+v, want U07.1 3 days ago, ill", r.Conditions)
		}
	})
	t.Run("Елена Новикова: vaccinated abroad", func(t *testing.T) {
		r := rec("667-788-990 07")
		if len(r.Immunizations) != 2 || r.Immunizations[0].Country != "DE" || r.Immunizations[1].Country != "DE" {
			t.Errorf("doses %+v, want two given in DE", r.Immunizations)
		}
	})
	t.Run("Николай Соколов: ELISA above the range, U07.2", func(t *testing.T) {
		r := rec("778-899-001 02")
		if len(r.Observations) != 1 || len(r.Conditions) != 1 {
			t.Fatalf("%d tests, %d conditions; want 1 and 1", len(r.Observations), len(r.Conditions))
		}
		o, c := r.Observations[0], r.Conditions[0]
		if o.Code.Code != registry.LOINCAntibodyELISA || o.Quantity == nil || o.Quantity.RangeHi == nil || o.Quantity.Value <= *o.Quantity.RangeHi {
			t.Errorf("test %+v, want an ELISA level above its reference range", o)
		}
		if c.Code.Code != registry.ICD10Clinical || c.Abatement == nil || !slices.Equal(c.Evidence, []string{o.ID}) {
			t.Errorf("condition %+v, want U07.2, recovered, resting on %s", c, o.ID)
		}
	})
	t.Run("Татьяна Лебедева: negative PCR 30 h ago", func(t *testing.T) {
		r := rec("889-900-112 58")
		if len(r.Observations) != 1 || !r.Observations[0].Effective.Equal(testStart.Add(-30*time.Hour)) {
			t.Errorf("tests %+v, want one sampled 30 h before the start", r.Observations)
		}
	})
	t.Run("Павел Кузьмин: antibodies only", func(t *testing.T) {
		r := rec("990-011-223 74")
		if len(r.Observations) != 1 || r.Observations[0].Code.Code != registry.LOINCAntibody ||
			r.Observations[0].Result.Code != registry.SNOMEDDetected || len(r.Conditions) != 0 {
			t.Errorf("record %+v, want one antibody finding and no condition", r)
		}
	})
	t.Run("Elvin Məmmədov: CoronaVac 2/2", func(t *testing.T) {
		r := rec("5ZJ7K2M")
		if len(r.Immunizations) != 2 || r.Immunizations[1].Vaccine.Code != "CoronaVac" || r.Immunizations[1].Country != "AZ" ||
			!r.Immunizations[1].Date.Equal(day(days(62))) {
			t.Errorf("doses %+v, want CoronaVac 2/2 in AZ, the second 62 days ago", r.Immunizations)
		}
	})
	t.Run("Сергей Волков: federal, another region", func(t *testing.T) {
		p := person(t, "334-455-667 84")
		r, entries := fetchRecord(t, h, "/federal/fhir", p, 20)
		if len(r.Immunizations) != 2 || r.Immunizations[1].DoseNumber != 2 || r.Immunizations[1].SeriesDoses != 2 {
			t.Errorf("doses %+v, want Sputnik V 2/2", r.Immunizations)
		}
		var states []string
		for _, e := range entries {
			var entry struct {
				Resource struct {
					ResourceType string `json:"resourceType"`
					Address      []struct {
						State   string `json:"state"`
						Country string `json:"country"`
					} `json:"address"`
				} `json:"resource"`
				Search struct{ Mode string } `json:"search"`
			}
			json.Unmarshal(e, &entry)
			if entry.Resource.ResourceType == "Organization" {
				if entry.Search.Mode != "include" {
					t.Errorf("Organization entry has search.mode %q, want include", entry.Search.Mode)
				}
				states = append(states, entry.Resource.Address[0].State)
			}
		}
		if len(states) != 1 || states[0] != "Тверская область" {
			t.Errorf("included centres are in %q, want one in Тверская область", states)
		}
	})
}

// TestDatesFollowStart reopens the same file for another start: every date moves with it.
func TestDatesFollowStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	liis, mari := person(t, "49001010557"), person(t, "46003150224")
	for _, start := range []time.Time{testStart, testStart.Add(days(400) + 5*time.Hour + 17*time.Minute)} {
		r, err := Open(path, start)
		if err != nil {
			t.Fatal(err)
		}
		h := r.Handler()
		test, _ := fetchRecord(t, h, "/fhir", liis, 20)
		doses, _ := fetchRecord(t, h, "/fhir", mari, 20)
		r.Close()
		if got, want := test.Observations[0].Effective, start.Add(-24*time.Hour); !got.Equal(want) {
			t.Errorf("start %v: Liis Kask's test sampled %v, want %v", start, got, want)
		}
		for i, ago := range []time.Duration{days(120), days(99)} {
			moment := start.Add(-ago)
			got := doses.Immunizations[i].Date
			if got.After(moment) || moment.Sub(got) >= 24*time.Hour {
				t.Errorf("start %v: Mari Tamm's dose %d on %v, want the day of %v", start, i+1, got, moment)
			}
		}
	}
}

func TestPaging(t *testing.T) {
	h := openTest(t, testStart).Handler()
	first := "/fhir/Immunization?patient=Patient%2Fee-1001&_include=Immunization:performer&_count=1"
	b := decodeBundle(t, get(t, h, first))
	modes := func(b testBundle) (m []string) {
		for _, e := range b.Entry {
			m = append(m, e.Search.Mode)
		}
		return m
	}
	if b.Total != 2 || !slices.Equal(modes(b), []string{"match", "include"}) {
		t.Fatalf("page 1: total %d, entries %q; want total 2, a match and its include", b.Total, modes(b))
	}
	next := b.next()
	u, err := url.Parse(next)
	if err != nil || !u.IsAbs() || u.Scheme+"://"+u.Host != testOrigin || u.Path != "/fhir/Immunization" {
		t.Fatalf("next link %q is not an absolute link to %s/fhir/Immunization", next, testOrigin)
	}
	q := u.Query()
	if q.Get("patient") != "Patient/ee-1001" || q.Get("_include") != includePerformer || q.Get("_count") != "1" {
		t.Errorf("next link %q does not repeat the search", next)
	}
	b2 := decodeBundle(t, get(t, h, next))
	if b2.Total != 2 || len(b2.Entry) != 2 || b2.next() != "" {
		t.Errorf("page 2: total %d, %d entries, next %q; want 2, 2 and none", b2.Total, len(b2.Entry), b2.next())
	}
	if b.Entry[0].FullURL == b2.Entry[0].FullURL {
		t.Errorf("both pages hold %s", b.Entry[0].FullURL)
	}

	t.Run("default page holds the whole record", func(t *testing.T) {
		b := decodeBundle(t, get(t, h, "/fhir/Immunization?patient=Patient/ee-1001"))
		if b.Total != 2 || len(b.Entry) != 2 || b.next() != "" {
			t.Errorf("total %d, %d entries, next %q; want 2, 2, none", b.Total, len(b.Entry), b.next())
		}
	})
	t.Run("_count=0 counts", func(t *testing.T) {
		b := decodeBundle(t, get(t, h, "/fhir/Immunization?patient=Patient/ee-1001&_count=0"))
		if b.Total != 2 || len(b.Entry) != 0 || b.next() != "" {
			t.Errorf("total %d, %d entries, next %q; want 2, 0, none", b.Total, len(b.Entry), b.next())
		}
	})
	t.Run("links follow the Host the client used", func(t *testing.T) {
		w := get(t, h, "http://127.0.0.1:40001/federal/fhir/Immunization?patient=Patient/ru-2003&_count=1")
		next := decodeBundle(t, w).next()
		if !strings.HasPrefix(next, "http://127.0.0.1:40001/federal/fhir/Immunization?") {
			t.Errorf("next link %q, want one on http://127.0.0.1:40001/federal/fhir", next)
		}
	})
	t.Run("past the end", func(t *testing.T) {
		b := decodeBundle(t, get(t, h, "/fhir/Immunization?patient=Patient/ee-1001&_offset=5"))
		if b.Total != 2 || len(b.Entry) != 0 || b.next() != "" {
			t.Errorf("total %d, %d entries, next %q; want 2, 0, none", b.Total, len(b.Entry), b.next())
		}
	})
}

func TestMetadata(t *testing.T) {
	h := openTest(t, testStart).Handler()
	for _, base := range []string{"/fhir", "/federal/fhir"} {
		w := get(t, h, base+"/metadata")
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != fhirJSON {
			t.Fatalf("%s/metadata: %d %s", base, w.Code, w.Header().Get("Content-Type"))
		}
		var cs struct {
			ResourceType string `json:"resourceType"`
			FHIRVersion  string `json:"fhirVersion"`
			Rest         []struct {
				Resource []struct {
					Type        string `json:"type"`
					SearchParam []struct {
						Name string `json:"name"`
					} `json:"searchParam"`
				} `json:"resource"`
			} `json:"rest"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &cs); err != nil {
			t.Fatal(err)
		}
		if cs.ResourceType != "CapabilityStatement" || cs.FHIRVersion != "4.0.1" || len(cs.Rest) != 1 {
			t.Fatalf("%s/metadata = %s", base, w.Body)
		}
		got := map[string][]string{}
		for _, r := range cs.Rest[0].Resource {
			for _, p := range r.SearchParam {
				got[r.Type] = append(got[r.Type], p.Name)
			}
		}
		want := map[string][]string{
			"Patient":       {"identifier"},
			"Immunization":  {"patient"},
			"Observation":   {"subject", "patient"},
			"Condition":     {"subject", "patient"},
			"Communication": {"identifier"},
			"AuditEvent":    {"entity"},
		}
		if len(got) != len(want) {
			t.Errorf("%s/metadata lists %v, want %v", base, got, want)
		}
		for typ, params := range want {
			if !slices.Equal(got[typ], params) {
				t.Errorf("%s/metadata: %s searches by %v, want %v", base, typ, got[typ], params)
			}
		}
	}
}

func TestRead(t *testing.T) {
	h := openTest(t, testStart).Handler()
	tests := []struct {
		path   string
		status int
	}{
		{"/fhir/Patient/ee-1001", http.StatusOK},
		{"/fhir/Immunization/imm-1001-2", http.StatusOK},
		{"/fhir/Observation/obs-1004-pcr", http.StatusOK},
		{"/fhir/Condition/cond-1003", http.StatusOK},
		{"/federal/fhir/Patient/ru-2003", http.StatusOK},
		{"/fhir/Patient/ru-2003", http.StatusNotFound}, // federal only
		{"/federal/fhir/Patient/ee-1001", http.StatusNotFound},
	}
	for _, tt := range tests {
		w := get(t, h, tt.path)
		if w.Code != tt.status {
			t.Errorf("GET %s = %d, want %d: %s", tt.path, w.Code, tt.status, w.Body)
			continue
		}
		if tt.status != http.StatusOK {
			continue
		}
		var res struct {
			ResourceType, ID string
		}
		json.Unmarshal(w.Body.Bytes(), &res)
		parts := strings.Split(tt.path, "/")
		if res.ResourceType != parts[len(parts)-2] || res.ID != parts[len(parts)-1] {
			t.Errorf("GET %s = %s/%s", tt.path, res.ResourceType, res.ID)
		}
	}
}

func TestErrorsAreOperationOutcomes(t *testing.T) {
	h := openTest(t, testStart).Handler()
	tests := []struct {
		method, target string
		status         int
		code           string
	}{
		{"GET", "/fhir/Encounter?patient=Patient/ee-1001", 400, "not-supported"},
		{"GET", "/fhir/Organization", 400, "not-supported"},
		{"GET", "/fhir/", 400, "invalid"},
		{"GET", "/fhir/Patient", 400, "invalid"},
		{"GET", "/fhir/Patient?identifier=urn:ru:snils%7C", 400, "invalid"},
		{"GET", "/fhir/Patient?name=Tamm", 400, "invalid"},
		{"GET", "/fhir/Patient?identifier=a&identifier=b", 400, "invalid"},
		{"GET", "/fhir/Immunization", 400, "invalid"},
		{"GET", "/fhir/Immunization?patient=Patient/ee-1001&_count=abc", 400, "invalid"},
		{"GET", "/fhir/Immunization?patient=Patient/ee-1001&_count=-1", 400, "invalid"},
		{"GET", "/fhir/Immunization?patient=Patient/ee-1001&_offset=-3", 400, "invalid"},
		{"GET", "/fhir/Immunization?patient=Patient/ee-1001&_include=Immunization:patient", 400, "invalid"},
		{"GET", "/fhir/Observation?subject=Patient/ee-1001&_include=Immunization:performer", 400, "invalid"},
		{"GET", "/fhir/Observation?subject=Patient/ee-1001&patient=Patient/ee-1001", 400, "invalid"},
		{"GET", "/fhir/Condition?subject=Patient/", 400, "invalid"},
		{"GET", "/fhir/Condition?subject=Patient/ee-1001/_history/1", 400, "invalid"},
		{"GET", "/fhir/Patient?identifier=x&_format=xml", 406, "not-supported"},
		{"GET", "/fhir/Patient?identifier=%zz", 400, "invalid"},
		{"GET", "/fhir/Patient/ee-9999", 404, "not-found"},
		{"GET", "/fhir/Patient/ee-1001/_history", 404, "not-found"},
		{"GET", "/fhir/Patient/ee-1001?_elements=name", 400, "invalid"},
		{"GET", "/elsewhere", 404, "not-found"},
		{"POST", "/fhir/Patient", 405, "not-supported"},
		{"DELETE", "/federal/fhir/Patient/ru-2003", 405, "not-supported"},
	}
	for _, tt := range tests {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(tt.method, testOrigin+tt.target, nil))
		var oo struct {
			ResourceType string `json:"resourceType"`
			Issue        []struct {
				Severity, Code, Diagnostics string
			} `json:"issue"`
		}
		err := json.Unmarshal(w.Body.Bytes(), &oo)
		switch {
		case w.Code != tt.status:
			t.Errorf("%s %s = %d, want %d: %s", tt.method, tt.target, w.Code, tt.status, w.Body)
		case w.Header().Get("Content-Type") != fhirJSON:
			t.Errorf("%s %s: Content-Type %q", tt.method, tt.target, w.Header().Get("Content-Type"))
		case err != nil || oo.ResourceType != "OperationOutcome" || len(oo.Issue) != 1:
			t.Errorf("%s %s: body is not an OperationOutcome: %s", tt.method, tt.target, w.Body)
		case oo.Issue[0].Code != tt.code || oo.Issue[0].Severity != "error" || oo.Issue[0].Diagnostics == "":
			t.Errorf("%s %s: issue %+v, want an error %q with diagnostics", tt.method, tt.target, oo.Issue[0], tt.code)
		}
	}
}

package rules

import (
	"maps"
	"strings"
	"testing"
	"time"
)

// TestEveryReasonInFourLanguages fails on any reason or note that some profile cannot
// explain in et, en, ru or az.
func TestEveryReasonInFourLanguages(t *testing.T) {
	for _, code := range Codes() {
		p := mustLoad(t, code)
		for _, r := range Reasons() {
			ex, ok := p.Explain(r)
			if !ok {
				t.Errorf("%s: Explain(%s) found nothing", code, r)
				continue
			}
			for _, lang := range Languages() {
				if strings.TrimSpace(ex.Reason[lang]) == "" || strings.TrimSpace(ex.NextStep[lang]) == "" {
					t.Errorf("%s: Explain(%s) in %s = %q / %q, want a reason and a next step", code, r, lang, ex.Reason[lang], ex.NextStep[lang])
				}
			}
		}
		for _, n := range Notes() {
			text, ok := p.NoteText(n, Entitlement{})
			if !ok {
				t.Errorf("%s: NoteText(%s) found nothing", code, n)
			}
			for _, lang := range Languages() {
				if strings.TrimSpace(text[lang]) == "" {
					t.Errorf("%s: NoteText(%s) in %s is empty", code, n, lang)
				}
			}
		}
		for _, r := range p.Rules {
			for _, lang := range Languages() {
				if strings.TrimSpace(r.Description[lang]) == "" {
					t.Errorf("%s: rule %s has no description in %s", code, r.ID, lang)
				}
			}
		}
	}
}

func TestCatalogueGapsAreErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(c *Texts)
		key  string
	}{
		{"a missing language", func(c *Texts) { delete(c.Reasons[ReasonIllNow].Next, "az") }, "reasons.ill-now.next.az"},
		{"an empty text", func(c *Texts) { c.Reasons[ReasonNoRecord].Text["ru"] = " " }, "reasons.no-record.text.ru"},
		{"a missing reason", func(c *Texts) { delete(c.Reasons, ReasonTestPositive) }, "reasons.test-positive"},
		{"a missing note", func(c *Texts) { delete(c.Notes, NoteDomesticOnly) }, "notes.domestic-only"},
		{"a note without Estonian", func(c *Texts) { delete(c.Notes[NoteFederalRecord], "et") }, "notes.federal-record.et"},
		{"an unknown language", func(c *Texts) { c.Notes[NoteFederalRecord]["fi"] = "x" }, "notes.federal-record.fi"},
		{"an unknown reason", func(c *Texts) { c.Reasons["no-luck"] = c.Reasons[ReasonNoRecord] }, "reasons.no-luck"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadCatalogue()
			if err != nil {
				t.Fatal(err)
			}
			// Deep enough a copy for the edits.
			for r, e := range c.Reasons {
				c.Reasons[r] = ReasonTexts{Text: maps.Clone(e.Text), Next: maps.Clone(e.Next)}
			}
			for n, text := range c.Notes {
				c.Notes[n] = maps.Clone(text)
			}
			tt.edit(&c)
			if err := c.check("", true); err == nil || !strings.Contains(err.Error(), tt.key) {
				t.Errorf("check(%s) = %v, want an error naming %s", tt.name, err, tt.key)
			}
		})
	}
}

func TestProfileTextsOverrideTheCatalogue(t *testing.T) {
	ru, ee := mustLoad(t, "RU-MOW"), mustLoad(t, "EE")
	ruEx, _ := ru.Explain(ReasonRecoveryExpired)
	eeEx, _ := ee.Explain(ReasonRecoveryExpired)
	if !strings.Contains(ruEx.Reason["ru"], "6 месяцев") || !strings.Contains(eeEx.Reason["en"], "180 days") {
		t.Errorf("recovery-expired: RU-MOW says %q, EE says %q; want their own windows", ruEx.Reason["ru"], eeEx.Reason["en"])
	}
	// An override of the reason leaves the catalogue's next step.
	cat, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	if want := cat.Reasons[ReasonRecoveryExpired].Next["et"]; ruEx.NextStep["et"] != want {
		t.Errorf("RU-MOW next step = %q, want the catalogue's %q", ruEx.NextStep["et"], want)
	}
	// Explain hands out copies.
	ruEx.Reason["ru"] = "changed"
	if again, _ := ru.Explain(ReasonRecoveryExpired); again.Reason["ru"] == "changed" {
		t.Error("Explain returned the profile's own map")
	}
	if _, ok := ru.Explain("no-such-reason"); ok {
		t.Error("Explain(no-such-reason) found a text")
	}
}

func TestNoteTextPlaceholders(t *testing.T) {
	p := mustLoad(t, "EE")
	from := time.Date(2026, 4, 1, 0, 0, 0, 0, p.Location())
	text, ok := p.NoteText(NoteValidFromLater, Entitlement{ValidFrom: from, ValidUntil: from.AddDate(1, 0, 0)})
	if !ok {
		t.Fatal("NoteText(valid-from-later) found nothing")
	}
	for _, lang := range Languages() {
		if !strings.Contains(text[lang], "2026-04-01") || strings.Contains(text[lang], "{") {
			t.Errorf("NoteText(valid-from-later) in %s = %q, want the date filled in", lang, text[lang])
		}
	}
}

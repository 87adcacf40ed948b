package certpdf

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func statementFixture(t testing.TB) Statement {
	return Statement{
		Case:       "AK000007",
		Name:       "Петрова Анна Сергеевна",
		BirthDate:  "1957-09-02",
		System:     "urn:ru:snils",
		Identifier: "112-233-445 95",
		Commission: "Министерство здравоохранения Камчатского края",
		IssuedAt:   time.Date(2026, 11, 22, 1, 5, 0, 0, time.UTC),
		Location:   mustLocation(t, "Asia/Kamchatka"),
	}
}

// TestRenderStatementGolden compares the form with testdata/statement.pdf; run with
// -update to rewrite it after an intended layout change, then look at the page.
func TestRenderStatementGolden(t *testing.T) {
	got, err := NewRenderer(mustFonts(t), testNames).RenderStatement(statementFixture(t))
	if err != nil {
		t.Fatalf("RenderStatement() = %v", err)
	}
	checkGolden(t, "RenderStatement()", "statement", got)
}

func TestRenderStatementText(t *testing.T) {
	r := NewRenderer(mustFonts(t), testNames)
	s := statementFixture(t)
	pdf, err := r.RenderStatement(s)
	if err != nil {
		t.Fatalf("RenderStatement() = %v", err)
	}
	got := runningText(t, pdf)
	for _, w := range []string{
		"Заявление", "Application",
		"В комиссию по антителам: Министерство здравоохранения Камчатского края",
		"Петрова Анна Сергеевна", "1957-09-02", "СНИЛС", "SNILS", "112-233-445 95", "AK000007",
		"Прошу", "I request", "сертификат комиссии о наличии или отсутствии антител",
		"certificate of the presence or absence of antibodies",
		"Подпись заявителя", "Applicant's signature", "Дата", "Date",
		"2026-11-22 13:05 (UTC+12:00)",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("RenderStatement() text lacks %q", w)
		}
	}

	s.System, s.Identifier, s.Specimen = "urn:ru:oms", "1234567890123456", true
	pdf, err = r.RenderStatement(s)
	if err != nil {
		t.Fatalf("RenderStatement(OMS) = %v", err)
	}
	got = runningText(t, pdf)
	for _, w := range []string{"Полис ОМС", "OMS policy", "1234567890123456"} {
		if !strings.Contains(got, w) {
			t.Errorf("RenderStatement(OMS) text lacks %q", w)
		}
	}
	if strings.Contains(got, "СНИЛС") {
		t.Error("RenderStatement(OMS) names SNILS")
	}
}

func TestRenderStatementInvalid(t *testing.T) {
	r := NewRenderer(mustFonts(t), testNames)
	tests := []struct {
		name   string
		change func(s *Statement)
	}{
		{"no time", func(s *Statement) { s.IssuedAt = time.Time{} }},
		{"no case", func(s *Statement) { s.Case = "" }},
		{"blank name", func(s *Statement) { s.Name = " \t" }},
		{"no birth date", func(s *Statement) { s.BirthDate = "" }},
		{"no identifier", func(s *Statement) { s.Identifier = "" }},
		{"Estonian code", func(s *Statement) { s.System = "urn:ee:personal-code" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := statementFixture(t)
			tt.change(&s)
			if _, err := r.RenderStatement(s); !errors.Is(err, ErrInvalidStatement) {
				t.Errorf("RenderStatement(%s) = %v, want ErrInvalidStatement", tt.name, err)
			}
		})
	}
}

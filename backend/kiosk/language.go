// language.go: the languages the kiosk speaks.

package kiosk

import (
	"fmt"
	"slices"
)

// Language is a language the resident can choose on the kiosk.
type Language struct {
	// Code is the ISO 639-1 code, also the name of the frontend's catalogue
	// (frontend/src/i18n/<code>.json).
	Code string `json:"code"`
	// Name is the language's name in the language itself, as its button shows it.
	Name string `json:"name"`
}

// AllLanguages returns every language the kiosk has a catalogue for, in the order the
// attract screen cycles through them.
func AllLanguages() []Language {
	return []Language{
		{Code: "et", Name: "Eesti"},
		{Code: "en", Name: "English"},
		{Code: "ru", Name: "Русский"},
		{Code: "az", Name: "Azərbaycan"},
	}
}

// Languages returns the languages this kiosk offers, in the order to show them.
func (a *App) Languages() []Language {
	return append([]Language(nil), a.languages...)
}

// setupLanguages returns the languages codes names, in their order; none for no
// codes. A code the kiosk has no catalogue for, or one named twice, is an error.
func setupLanguages(codes []string) ([]Language, error) {
	var out []Language
	for _, code := range codes {
		i := slices.IndexFunc(AllLanguages(), func(l Language) bool { return l.Code == code })
		if i < 0 || slices.ContainsFunc(out, func(l Language) bool { return l.Code == code }) {
			return nil, fmt.Errorf("kiosk: language %q is not one the kiosk has, or is named twice", code)
		}
		out = append(out, AllLanguages()[i])
	}
	return out, nil
}

package registry

// identifier.go: identifier values as the registry stores them, and as a search token.

import (
	"errors"
	"fmt"
	"strings"
)

// snilsDigits is the length of a SNILS: 9 digits of the number and 2 of the check number.
const snilsDigits = 11

// storedValue returns id's value as the registry stores it: a SNILS without its
// separators ("112-233-445 95" → "11223344595"), any other identifier as given. Its
// errors do not repeat the value, which is personal data.
func storedValue(id Identifier) (string, error) {
	switch {
	case id.System == "":
		return "", errors.New("registry: identifier has no system")
	case id.Value == "":
		return "", errors.New("registry: identifier has no value")
	case id.System == SystemSNILS:
		return normaliseSNILS(id.Value)
	}
	return id.Value, nil
}

// normaliseSNILS keeps the digits of a SNILS written with hyphens and spaces, as it is
// printed on the card.
func normaliseSNILS(v string) (string, error) {
	var b strings.Builder
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '-' || r == ' ' || r == '\u00a0':
		default:
			return "", fmt.Errorf("registry: SNILS holds %q, want digits, hyphens and spaces", r)
		}
	}
	if b.Len() != snilsDigits {
		return "", fmt.Errorf("registry: SNILS has %d digits, want %d", b.Len(), snilsDigits)
	}
	return b.String(), nil
}

// searchToken returns the token-search value "system|value", escaping the characters
// FHIR search reserves (R4 RESTful search, "Escaping Search Parameters").
func searchToken(system, value string) string {
	esc := strings.NewReplacer(`\`, `\\`, `|`, `\|`, `,`, `\,`, `$`, `\$`)
	return esc.Replace(system) + "|" + esc.Replace(value)
}

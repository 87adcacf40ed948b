package identity

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"certkiosk/backend/registry"
)

func TestNormalizeValid(t *testing.T) {
	tests := []struct{ system, in, want string }{
		// The demo registry's people.
		{registry.SystemEEPersonalCode, "46003150224", "46003150224"},
		{registry.SystemEEPersonalCode, "34811020330", "34811020330"},
		{registry.SystemEEPersonalCode, "37506070448", "37506070448"},
		{registry.SystemEEPersonalCode, "49001010557", "49001010557"},
		{registry.SystemEEPersonalCode, "38509120665", "38509120665"},
		{registry.SystemEEPersonalCode, "49912310774", "49912310774"},
		{registry.SystemEEPersonalCode, "37001010885", "37001010885"},
		{registry.SystemEEPersonalCode, "37605030299", "37605030299"},
		{registry.SystemEEPersonalCode, " 37605030299 ", "37605030299"},
		{registry.SystemSNILS, "112-233-445 95", "11223344595"},
		{registry.SystemSNILS, "223-344-556 39", "22334455639"},
		{registry.SystemSNILS, "334-455-667 84", "33445566784"},
		{registry.SystemSNILS, "445-566-778 28", "44556677828"},
		{registry.SystemSNILS, "556-677-889 73", "55667788973"},
		{registry.SystemSNILS, "667-788-990 07", "66778899007"},
		{registry.SystemSNILS, "778-899-001 02", "77889900102"},
		{registry.SystemSNILS, "889-900-112 58", "88990011258"},
		{registry.SystemSNILS, "990-011-223 74", "99001122374"},
		{registry.SystemSNILS, "11223344595", "11223344595"},
		{registry.SystemSNILS, "001-001-998 00", "00100199800"}, // before the check existed
		{registry.SystemOMS, "7700 0000 0000 0001", "7700000000000001"},
		{registry.SystemFIN, "5ZJ7K2M", "5ZJ7K2M"},
		{registry.SystemFIN, "6ab3c9d", "6AB3C9D"},
		{registry.SystemFIN, "7XK4P1Q", "7XK4P1Q"},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.system, tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Normalize(%s, %q) = %q, %v, want %q", tt.system, tt.in, got, err, tt.want)
		}
	}
}

func TestNormalizeInvalid(t *testing.T) {
	tests := []struct{ system, in, check string }{
		{registry.SystemEEPersonalCode, "46003150225", "check digit is 5, want 4"},
		{registry.SystemEEPersonalCode, "4600315022", "11 digits"},
		{registry.SystemEEPersonalCode, "4600315022X", "11 digits"},
		{registry.SystemEEPersonalCode, "96003150224", "first digit"},
		{registry.SystemEEPersonalCode, "46002300224", "date of birth"}, // 30 February
		{registry.SystemSNILS, "112-233-445 96", "check number is 96, want 95"},
		{registry.SystemSNILS, "112-233-445", "11 digits"},
		{registry.SystemOMS, "770000000000000", "16 digits"},
		{registry.SystemFIN, "5ZJ7K2", "7 letters and digits"},
		{registry.SystemFIN, "5ZJ-K2M", "7 letters and digits"},
	}
	for _, tt := range tests {
		_, err := Normalize(tt.system, tt.in)
		var ie *InvalidError
		if !errors.As(err, &ie) || !errors.Is(err, ErrInvalidIdentifier) || !strings.Contains(ie.Check, tt.check) {
			t.Errorf("Normalize(%s, %q) = %v, want an InvalidError saying %q", tt.system, tt.in, err, tt.check)
		}
	}
	if _, err := Normalize("urn:xx:nothing", "1"); !errors.Is(err, ErrInvalidIdentifier) {
		t.Errorf("Normalize(unknown system) = %v, want ErrInvalidIdentifier", err)
	}
}

// TestEEPersonalCodeSecondWeights covers codes whose first weighted sum leaves 10, so
// that the second weight sequence decides: for each, exactly one check digit passes.
func TestEEPersonalCodeSecondWeights(t *testing.T) {
	found := 0
	for serial := 100; serial < 1000; serial++ {
		base := fmt.Sprintf("3850912%03d", serial)
		s := 0
		for i, w := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 1} {
			s += int(base[i]-'0') * w
		}
		if s%11 != 10 {
			continue
		}
		found++
		var accepted []int
		for c := 0; c <= 9; c++ {
			if _, err := Normalize(registry.SystemEEPersonalCode, fmt.Sprintf("%s%d", base, c)); err == nil {
				accepted = append(accepted, c)
			}
		}
		if len(accepted) != 1 {
			t.Errorf("%s?: check digits accepted %v, want exactly one", base, accepted)
		}
	}
	if found == 0 {
		t.Fatal("no serial number needs the second weight sequence")
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"46003150224", "112-233-445 95", "5ZJ7K2M", "7700000000000001", ""} {
		f.Add(s)
	}
	systems := []string{registry.SystemEEPersonalCode, registry.SystemSNILS, registry.SystemOMS, registry.SystemFIN}
	f.Fuzz(func(t *testing.T, s string) {
		for _, sys := range systems {
			v, err := Normalize(sys, s)
			if err != nil {
				continue
			}
			// What is accepted is stable: normalising again changes nothing.
			if again, err := Normalize(sys, v); err != nil || again != v {
				t.Fatalf("Normalize(%s, %q) = %q, then %q, %v", sys, s, v, again, err)
			}
		}
	})
}

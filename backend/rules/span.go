package rules

// span.go: lengths of time in profile files, written as ISO 8601 durations (P14D,
// P1Y, P6M, PT72H), and the calendar arithmetic that applies them.

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Span is a length of time in calendar units: years, months and days are counted on
// the calendar of the profile's time zone (a day across a daylight-saving change is
// still one day), hours are counted as elapsed time.
type Span struct {
	Years, Months, Days, Hours int
}

// parseSpan reads an ISO 8601 duration (ISO 8601-1 §5.5.2) restricted to the units
// CertLogic's plusTime knows: PnYnMnD and PTnH, each part optional but at least one
// present, for example P14D, P1Y, P6M, PT72H or P0D.
func parseSpan(s string) (Span, error) {
	var sp Span
	if len(s) < 3 || s[0] != 'P' {
		return sp, fmt.Errorf("%q is not an ISO 8601 duration such as P14D or PT72H", s)
	}
	rest, inTime, parts := s[1:], false, 0
	order := "YMD" // units allowed next, in order
	for rest != "" {
		if rest[0] == 'T' {
			if inTime {
				return sp, fmt.Errorf("%q has T twice", s)
			}
			inTime, order, rest = true, "H", rest[1:]
			continue
		}
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 || i == len(rest) || i > 6 {
			return sp, fmt.Errorf("%q is not an ISO 8601 duration such as P14D or PT72H", s)
		}
		n, _ := strconv.Atoi(rest[:i])
		unit := rest[i]
		k := strings.IndexByte(order, unit)
		if k < 0 {
			return sp, fmt.Errorf("%q: unit %c is out of place or not one of Y, M, D (date) and H (time)", s, unit)
		}
		order = order[k+1:]
		switch unit {
		case 'Y':
			sp.Years = n
		case 'M':
			sp.Months = n
		case 'D':
			sp.Days = n
		case 'H':
			sp.Hours = n
		}
		parts++
		rest = rest[i+1:]
	}
	if parts == 0 {
		return sp, fmt.Errorf("%q has no amount", s)
	}
	return sp, nil
}

// After returns t moved forward by the span: the calendar units on t's own calendar
// (so t should be in the profile's zone), then the hours as elapsed time.
func (s Span) After(t time.Time) time.Time {
	return t.AddDate(s.Years, s.Months, s.Days).Add(time.Duration(s.Hours) * time.Hour)
}

// IsZero reports whether the span is empty (P0D).
func (s Span) IsZero() bool { return s == Span{} }

// dateOnly reports whether the span counts whole days or more, with no hours.
func (s Span) dateOnly() bool { return s.Hours == 0 }

// String writes the span as an ISO 8601 duration.
func (s Span) String() string {
	out := "P"
	for _, p := range []struct {
		n    int
		unit string
	}{{s.Years, "Y"}, {s.Months, "M"}, {s.Days, "D"}} {
		if p.n != 0 {
			out += strconv.Itoa(p.n) + p.unit
		}
	}
	if s.Hours != 0 {
		out += "T" + strconv.Itoa(s.Hours) + "H"
	}
	if out == "P" {
		out = "P0D"
	}
	return out
}

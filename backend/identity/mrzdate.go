package identity

// mrzdate.go: the dates of a machine-readable zone — YYMMDD with two-digit years
// (ICAO 9303-3 §3.8), and the rule that gives each year its century.

import (
	"errors"
	"fmt"
	"time"
)

// Date is a date as a machine-readable zone gives it, with the century of the year
// decided. A part the document leaves unknown is 0: a date of birth may be only a
// year (YY<<<<), a year and month (YYMM<<), or unknown altogether (<<<<<<): ICAO
// 9303 fills the unknown parts of a date of birth with fillers.
//
// Zones carry two-digit years; ParseMRZ decides the century relative to the time
// it is given ("now"):
//   - a date of birth is the latest date that is not after now: 2000+YY when that
//     is not in the future, 1900+YY otherwise (for a partial date, the known part is
//     compared). On 2026-11-22, 261122 is 2026-11-22 and 261123 is 1926-11-23. A
//     person aged 100 or more is read as a century too young; no two-digit year can
//     tell them apart.
//   - a date of expiry is the one within 50 years either side of now: from now's
//     year − 50 up to now's year + 49 (on 2026-11-22: 1976 to 2075). A kiosk sees
//     documents that expired long ago (the ICAO specimens expired in 2012) as well as
//     ones valid for ten years and more to come, so the window is wide both ways.
type Date struct{ Year, Month, Day int }

// String returns the date as YYYY-MM-DD, YYYY-MM or YYYY as far as it is known, and
// an empty string when it is not known at all: the form FHIR's Patient.birthDate
// takes.
func (d Date) String() string {
	switch {
	case d.Year == 0:
		return ""
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Complete reports whether year, month and day are all known.
func (d Date) Complete() bool { return d.Year != 0 && d.Month != 0 && d.Day != 0 }

// mrz returns the date as the zone writes it, YYMMDD with << for an unknown part.
func (d Date) mrz() (string, bool) {
	if d.Year < 0 || d.Year > 9999 || d.Month < 0 || d.Month > 12 || d.Day < 0 || d.Day > 31 ||
		d.Year == 0 && d.Month != 0 || d.Month == 0 && d.Day != 0 {
		return "", false
	}
	part := func(v int) string {
		if v == 0 {
			return "<<"
		}
		return fmt.Sprintf("%02d", v%100)
	}
	return part(d.Year) + part(d.Month) + part(d.Day), true
}

// yymmdd reads the three pairs of a zone's date; -1 is a pair of fillers (unknown).
func yymmdd(s string) (yy, mm, dd int, err error) {
	var v [3]int
	for i := range v {
		a, b := s[2*i], s[2*i+1]
		switch {
		case isDigit(a) && isDigit(b):
			v[i] = int(a-'0')*10 + int(b-'0')
		case a == '<' && b == '<':
			v[i] = -1
		default:
			return 0, 0, 0, fmt.Errorf("%q is not a date (YYMMDD, << for an unknown part)", s)
		}
	}
	yy, mm, dd = v[0], v[1], v[2]
	if yy < 0 && mm >= 0 || mm < 0 && dd >= 0 {
		return 0, 0, 0, fmt.Errorf("%q: only the day, the day and month, or the whole date can be unknown", s)
	}
	if mm == 0 || mm > 12 {
		return 0, 0, 0, fmt.Errorf("%q: there is no month %02d", s, mm)
	}
	return yy, mm, dd, nil
}

// birthDate reads a date of birth, deciding the century as Date says.
func birthDate(s string, now time.Time) (Date, error) {
	yy, mm, dd, err := yymmdd(s)
	if err != nil || yy < 0 {
		return Date{}, err
	}
	y := now.Year()/100*100 + yy
	if after(y, mm, dd, now) {
		y -= 100
	}
	return dateOf(s, y, mm, dd)
}

// after reports whether the (possibly partial) date is after now's date.
func after(y, m, d int, now time.Time) bool {
	ny, nm, nd := now.Date()
	switch {
	case y != ny || m < 0:
		return y > ny
	case m != int(nm) || d < 0:
		return m > int(nm)
	}
	return d > nd
}

// expiryDate reads a date of expiry, deciding the century as Date says.
func expiryDate(s string, now time.Time) (Date, error) {
	yy, mm, dd, err := yymmdd(s)
	if err != nil {
		return Date{}, err
	}
	if yy < 0 || mm < 0 || dd < 0 {
		return Date{}, errors.New("a date of expiry must be given in full")
	}
	y := now.Year()/100*100 + yy
	switch {
	case y >= now.Year()+50:
		y -= 100
	case y < now.Year()-50:
		y += 100
	}
	return dateOf(s, y, mm, dd)
}

// dateOf checks that the day exists in its month and year.
func dateOf(s string, y, m, d int) (Date, error) {
	if m < 0 {
		return Date{Year: y}, nil
	}
	if d < 0 {
		return Date{Year: y, Month: m}, nil
	}
	if last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day(); d < 1 || d > last {
		return Date{}, fmt.Errorf("%q: %04d-%02d has no day %02d", s, y, m, d)
	}
	return Date{Year: y, Month: m, Day: d}, nil
}
